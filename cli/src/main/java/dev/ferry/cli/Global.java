package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every API command takes; unset ones default from the config file. */
public final class Global {
    @Option(names = "--control-plane", paramLabel = "URL", description = "Control plane URL (default: from the config file).")
    String controlPlane;

    @Option(names = "--token", paramLabel = "TOKEN", description = "API token (default: from the config file).")
    String token;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "The control plane's CA certificate (default: from the config file).")
    Path caCert;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table or json (json prints the API's JSON). Default: ${DEFAULT-VALUE}.")
    Output.Format output = Output.Format.table;

    ApiClient api() {
        ClientConfig config = ClientConfig.load();
        String url = controlPlane != null ? controlPlane : config.controlPlane()
                .orElseThrow(() -> new CliException("no control plane: pass --control-plane or run 'ferry control-plane run' here first"));
        String bearer = token != null ? token : config.token()
                .orElseThrow(() -> new CliException("no API token: pass --token or run 'ferry control-plane run' here first"));
        Path ca = caCert != null ? caCert : config.caCertificate()
                .orElseThrow(() -> new CliException("no CA certificate: pass --ca-cert with the control plane's ca.crt"));
        return new ApiClient(url, bearer, ca);
    }

    void print(JsonNode node, String... columns) {
        Output.print(System.out, output, node, List.of(columns));
    }
}
