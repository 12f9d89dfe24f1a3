package dev.ferry.locations.s3.testing;

import dev.ferry.locations.testing.SharedServers;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Gives tests one server of each kind for the whole run: declare a parameter of type {@link S3ProxyServer} or {@link S3MockServer}. */
public final class S3ServersExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == S3ProxyServer.class || type == S3MockServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == S3MockServer.class
                ? SharedServers.shared(context, S3MockServer.class, S3MockServer::start)
                : SharedServers.shared(context, S3ProxyServer.class, S3ProxyServer::start);
    }
}
