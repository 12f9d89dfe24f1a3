package dev.ferry.locations.hdfs.testing;

import dev.ferry.locations.testing.SharedServers;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Gives tests one {@link MiniHdfs} for the whole run: declare a parameter of that type. */
public final class MiniHdfsExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MiniHdfs.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SharedServers.shared(context, MiniHdfs.class, MiniHdfs::start);
    }
}
