package dev.ferry.locations.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server of a kind for the whole test run: started on first use (start-up takes seconds),
 * closed by JUnit when the run ends. For the parameter resolvers that hand servers to tests.
 */
public final class SharedServers {
    private SharedServers() {
    }

    public static <T extends AutoCloseable> T shared(ExtensionContext context, Class<T> kind, Supplier<T> start) {
        return kind.cast(context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(kind, k -> new Holder(start.get()), Holder.class).server);
    }

    private record Holder(AutoCloseable server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
