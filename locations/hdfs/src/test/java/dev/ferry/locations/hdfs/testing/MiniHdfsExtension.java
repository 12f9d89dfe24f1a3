package dev.ferry.locations.hdfs.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** One HDFS minicluster for the whole test run, shut down by JUnit when the run ends. Declare a parameter of type {@link MiniHdfs}. */
public final class MiniHdfsExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MiniHdfs.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Holder.class, k -> new Holder(MiniHdfs.start()), Holder.class).hdfs;
    }

    private record Holder(MiniHdfs hdfs) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            hdfs.close();
        }
    }
}
