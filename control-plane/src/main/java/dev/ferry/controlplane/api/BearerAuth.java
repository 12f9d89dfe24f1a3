package dev.ferry.controlplane.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.ferry.controlplane.security.Hashes;
import dev.ferry.controlplane.store.Repository;
import java.util.Optional;

/**
 * Requires {@code Authorization: Bearer <token>} on every API call except agent activation (whose
 * credential is the activation key). Tokens are compared by hash; none is ever logged.
 */
public final class BearerAuth implements DecoratingHttpServiceFunction {
    public static final String ACTIVATE_PATH = "/v1/agents/activate";
    private final Repository repository;

    public BearerAuth(Repository repository) {
        this.repository = repository;
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (ctx.path().equals(ACTIVATE_PATH)) {
            return delegate.serve(ctx, req);
        }
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            return ApiErrors.response(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED",
                    "this call needs an API token: Authorization: Bearer <token>", "Authorization");
        }
        Optional<String> role = repository.roleOfToken(Hashes.sha256Hex(header.substring("Bearer ".length()).trim()));
        if (role.isEmpty()) {
            return ApiErrors.response(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "the API token is not valid", "Authorization");
        }
        return delegate.serve(ctx, req);
    }
}
