package dev.ferry.locations.azure.testing;

import dev.ferry.locations.testing.SharedServers;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Gives tests one {@link AzuriteServer} for the whole run: declare a parameter of that type. */
public final class AzuriteExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AzuriteServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SharedServers.shared(context, AzuriteServer.class, AzuriteServer::start);
    }
}
