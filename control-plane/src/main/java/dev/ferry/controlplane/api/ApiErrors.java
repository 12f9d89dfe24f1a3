package dev.ferry.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.ExceptionHandlerFunction;
import dev.ferry.controlplane.store.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every API error as JSON: {@code {"code": ..., "message": ..., "field": ...}}. */
public final class ApiErrors implements ExceptionHandlerFunction {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @Override
    public HttpResponse handleException(ServiceRequestContext ctx, HttpRequest req, Throwable cause) {
        if (cause instanceof ApiException api) {
            return response(api.status(), api.code(), api.getMessage(), api.field().orElse(null));
        }
        if (cause instanceof JsonProcessingException) {
            return response(HttpStatus.BAD_REQUEST, "INVALID_JSON", "the request body is not valid JSON", "body");
        }
        LOG.error("event=api_error method={} path={}", req.method(), req.path(), cause);
        return response(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL", "internal error; see the control plane's log", null);
    }

    public static HttpResponse response(HttpStatus status, String code, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        return HttpResponse.of(status, MediaType.JSON_UTF_8, Json.write(body));
    }
}
