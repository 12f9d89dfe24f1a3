package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Set;

/** Follows an execution to its end, printing each status change. */
final class ExecutionWatch {
    static final Set<String> TERMINAL = Set.of("SUCCESS", "ERROR", "CANCELLED");

    private ExecutionWatch() {
    }

    static int await(ApiClient api, Global global, String id, PrintStream progress) {
        String last = "";
        JsonNode execution;
        while (true) {
            execution = api.get("/v1/task-executions/" + id);
            String status = execution.path("status").asText();
            if (!status.equals(last)) {
                progress.println("execution " + id + ": " + status);
                last = status;
            }
            if (TERMINAL.contains(status)) {
                break;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for " + id);
            }
        }
        if (global.output == Output.Format.json) {
            global.print(execution);
        } else {
            summary(execution, System.out);
        }
        return "SUCCESS".equals(execution.path("status").asText()) ? 0 : 1;
    }

    static void summary(JsonNode execution, PrintStream out) {
        out.println("Execution  " + execution.path("id").asText());
        out.println("Status     " + execution.path("status").asText());
        if (execution.hasNonNull("errorCode")) {
            out.println("ErrorCode  " + execution.path("errorCode").asText());
            out.println("Error      " + execution.path("errorDetail").asText());
        }
        JsonNode report = execution.path("reportResult");
        if (report.isObject()) {
            out.println("Report     " + report.path("Status").asText()
                    + (report.hasNonNull("Prefix") ? " " + report.path("LocationId").asText() + ":" + report.path("Prefix").asText() : "")
                    + (report.hasNonNull("ErrorCode") ? " " + report.path("ErrorCode").asText() + ": " + report.path("ErrorDetail").asText() : ""));
        }
        execution.path("counters").fields().forEachRemaining(e -> out.printf("  %-26s %s%n", e.getKey(), e.getValue().asText()));
        // Durations are numbers of milliseconds; phase statuses are words.
        execution.path("result").fields().forEachRemaining(e -> out.printf("  %-26s %s%s%n", e.getKey(), e.getValue().asText(),
                e.getValue().isNumber() ? " ms" : ""));
    }
}
