package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.tls.Pem;
import dev.ferry.protocol.tls.TrustedHttps;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The REST API as the CLI calls it: HTTPS trusting the control plane's CA, a bearer token. */
public final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final String token;
    private final HttpClient http;

    public ApiClient(String controlPlane, String token, Path caCertificate) {
        this.base = URI.create(controlPlane);
        this.token = token;
        try {
            this.http = HttpClient.newBuilder().sslContext(TrustedHttps.trusting(Pem.certificate(Files.readString(caCertificate))))
                    .connectTimeout(Duration.ofSeconds(10)).build();
        } catch (IOException e) {
            throw new CliException("cannot read the CA certificate " + caCertificate + ": " + e.getMessage());
        }
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public JsonNode post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException("cannot encode the request: " + e.getMessage());
        }
    }

    public JsonNode patch(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException("cannot encode the request: " + e.getMessage());
        }
    }

    public JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    private JsonNode send(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new CliException("cannot reach the control plane at " + base);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new CliException("the control plane at " + base + " is not certified by the configured CA: " + e.getMessage());
        } catch (IOException e) {
            throw new CliException("call to " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException("the control plane answered " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() >= 400) {
            String field = body.hasNonNull("field") ? " (field: " + body.get("field").asText() + ")" : "";
            throw new CliException(body.path("code").asText("HTTP_" + response.statusCode()) + ": "
                    + body.path("message").asText(response.body()) + field);
        }
        return body;
    }
}
