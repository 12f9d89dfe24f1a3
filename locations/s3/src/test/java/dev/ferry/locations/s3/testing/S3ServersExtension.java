package dev.ferry.locations.s3.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one server of each kind for the whole test run (start-up takes seconds), stopped
 * by JUnit when the run ends. Declare a parameter of type {@link S3ProxyServer} or
 * {@link S3MockServer}; each starts on first use.
 */
public final class S3ServersExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == S3ProxyServer.class || type == S3MockServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Supplier<S3TestServer> start = type == S3MockServer.class ? S3MockServer::start : S3ProxyServer::start;
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(type, k -> new Holder(start.get()), Holder.class).server;
    }

    private record Holder(S3TestServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
