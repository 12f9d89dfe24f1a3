package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry <resource> <verb>} for the API's resources. */
final class ResourceCommands {
    private ResourceCommands() {
    }

    static final String[] AGENT_COLUMNS = {"id", "name", "status", "lastSeenAt"};
    static final String[] LOCATION_COLUMNS = {"id", "name", "type", "agents", "settings"};
    static final String[] TASK_COLUMNS = {"id", "name", "sourceLocationId", "destinationLocationId",
        "schedule.scheduleExpression", "schedule.status"};
    static final String[] EXECUTION_COLUMNS = {"id", "taskId", "status", "errorCode", "createdAt"};

    @Command(name = "activation-key", description = "Activation keys for new agents.", subcommands = ActivationKeyCreate.class)
    static final class ActivationKey {
    }

    @Command(name = "create", description = "Create a single-use activation key (expires in 30 minutes).")
    static final class ActivationKeyCreate implements Callable<Integer> {
        @Mixin
        Global global;

        @Override
        public Integer call() {
            global.print(global.api().post("/v1/activation-keys", Map.of()), "activationKey", "expiresAt");
            return 0;
        }
    }

    @Command(name = "list", description = "List them.")
    static class ListCommand implements Callable<Integer> {
        @Mixin
        Global global;
        final String path;
        final String field;
        final String[] columns;

        ListCommand(String path, String field, String[] columns) {
            this.path = path;
            this.field = field;
            this.columns = columns;
        }

        @Override
        public Integer call() {
            JsonNode answer = global.api().get(path);
            global.print(global.output == Output.Format.json ? answer : answer.get(field), columns);
            return 0;
        }
    }

    @Command(name = "get", description = "Show one.")
    static class GetCommand implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "ID")
        String id;
        final String path;
        final String[] columns;

        GetCommand(String path, String[] columns) {
            this.path = path;
            this.columns = columns;
        }

        @Override
        public Integer call() {
            global.print(global.api().get(path + "/" + id), columns);
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete one.")
    static class DeleteCommand implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "ID")
        String id;
        final String path;

        DeleteCommand(String path) {
            this.path = path;
        }

        @Override
        public Integer call() {
            global.api().delete(path + "/" + id);
            System.out.println("deleted " + id);
            return 0;
        }
    }

    // ---- locations

    @Command(name = "location", description = "Storage endpoints.", subcommands = {LocationCreate.class, LocationList.class,
            LocationGet.class, LocationDelete.class})
    static final class Location {
    }

    @Command(name = "create", description = "Create a location. posix: --agent and --path. s3: --bucket [--prefix --endpoint "
            + "--region --access-key]; the secret key comes from --secret-key or AWS_SECRET_ACCESS_KEY. object-storage: "
            + "--setting serverHostname=H --setting bucketName=B [--setting serverPort=P --setting serverProtocol=HTTP "
            + "--access-key --server-certificate PEM-FILE --agent]. azure-blob, smb, nfs, hdfs: --setting NAME=VALUE for each of "
            + "their settings, or --settings-json. Settings per kind: docs/locations.md.")
    static final class LocationCreate implements Callable<Integer> {
        @Mixin
        Global global;
        @Option(names = "--type", required = true, description = "posix, s3, object-storage, azure-blob, smb, nfs or hdfs")
        String type;
        @Option(names = "--name")
        String name;
        @Option(names = "--agent", description = "Agent that reaches it (repeatable).")
        List<String> agents;
        @Option(names = "--path", description = "posix: absolute directory on the agent's host.")
        String path;
        @Option(names = "--bucket")
        String bucket;
        @Option(names = "--prefix")
        String prefix;
        @Option(names = "--endpoint", description = "s3: URL of an S3-compatible store.")
        String endpoint;
        @Option(names = "--region")
        String region;
        @Option(names = "--access-key")
        String accessKey;
        @Option(names = "--secret-key")
        String secretKey;
        @Option(names = "--server-certificate", paramLabel = "PEM-FILE",
                description = "object-storage: the private CA (or server) certificate to trust, read from this file.")
        java.nio.file.Path serverCertificate;
        @Option(names = "--setting", paramLabel = "NAME=VALUE", description = "Any other driver setting (repeatable).")
        List<String> settings;
        @Option(names = "--settings-json", paramLabel = "JSON",
                description = "Settings as a JSON object, for those a NAME=VALUE cannot hold (hdfs nameNodes).")
        String settingsJson;

        @Override
        public Integer call() {
            Map<String, Object> s = new LinkedHashMap<>();
            if (settingsJson != null) {
                try {
                    s.putAll(new com.fasterxml.jackson.databind.ObjectMapper().readValue(settingsJson,
                            new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new CliException("--settings-json: not a JSON object: " + e.getOriginalMessage());
                }
            }
            s.putAll(Options.parse(settings, "--setting"));
            put(s, "path", path);
            put(s, "bucket", bucket);
            put(s, "prefix", prefix);
            put(s, "endpoint", endpoint);
            put(s, "region", region);
            put(s, "accessKey", accessKey);
            String secret = secretKey != null ? secretKey : accessKey != null ? System.getenv("AWS_SECRET_ACCESS_KEY") : null;
            put(s, "secretKey", secret);
            if (serverCertificate != null) {
                try {
                    s.put("serverCertificate", java.nio.file.Files.readString(serverCertificate));
                } catch (java.io.IOException e) {
                    throw new CliException("--server-certificate: cannot read " + serverCertificate + ": " + e.getMessage());
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type);
            if (name != null) {
                body.put("name", name);
            }
            if (agents != null) {
                body.put("agents", agents);
            }
            body.put("settings", s);
            global.print(global.api().post("/v1/locations", body), LOCATION_COLUMNS);
            return 0;
        }

        private static void put(Map<String, Object> map, String key, Object value) {
            if (value != null) {
                map.put(key, value);
            }
        }
    }

    @Command(name = "list", description = "List locations.")
    static final class LocationList extends ListCommand {
        LocationList() {
            super("/v1/locations", "locations", LOCATION_COLUMNS);
        }
    }

    @Command(name = "get", description = "Show a location (secrets are never shown).")
    static final class LocationGet extends GetCommand {
        LocationGet() {
            super("/v1/locations", LOCATION_COLUMNS);
        }
    }

    @Command(name = "delete", description = "Delete a location no task uses.")
    static final class LocationDelete extends DeleteCommand {
        LocationDelete() {
            super("/v1/locations");
        }
    }

    // ---- tasks

    @Command(name = "task", description = "Transfers between two locations.", subcommands = {TaskCreate.class, TaskList.class,
            TaskGet.class, TaskUpdate.class, TaskDelete.class, TaskStart.class})
    static final class Task {
    }

    @Command(name = "create", description = "Create a task; --option takes DataSync option names and values.")
    static final class TaskCreate implements Callable<Integer> {
        @Mixin
        Global global;
        @Option(names = "--name")
        String name;
        @Option(names = "--source", required = true, paramLabel = "LOCATION_ID")
        String source;
        @Option(names = "--destination", required = true, paramLabel = "LOCATION_ID")
        String destination;
        @Option(names = "--option", paramLabel = "NAME=VALUE", description = "For example VerifyMode=NONE (repeatable).")
        List<String> options;
        @Option(names = "--schedule", paramLabel = "EXPRESSION",
                description = "Run unattended, in UTC: 'rate(15 minutes)', 'rate(1 day)', 'cron(0 2 * * ? *)'.")
        String schedule;
        @Mixin
        TaskSettings settings;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (name != null) {
                body.put("name", name);
            }
            if (schedule != null) {
                body.put("schedule", Map.of("scheduleExpression", schedule));
            }
            settings.addTo(body);
            body.put("sourceLocationId", source);
            body.put("destinationLocationId", destination);
            body.put("options", Options.parse(options, "--option"));
            global.print(global.api().post("/v1/tasks", body), TASK_COLUMNS);
            return 0;
        }
    }

    @Command(name = "list", description = "List tasks.")
    static final class TaskList extends ListCommand {
        TaskList() {
            super("/v1/tasks", "tasks", TASK_COLUMNS);
        }
    }

    @Command(name = "get", description = "Show a task and its options.")
    static final class TaskGet extends GetCommand {
        TaskGet() {
            super("/v1/tasks", TASK_COLUMNS);
        }
    }

    @Command(name = "update", description = "Change a task: name, options (merged), filters, schedule.")
    static final class TaskUpdate implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "TASK_ID")
        String id;
        @Option(names = "--name")
        String name;
        @Option(names = "--option", paramLabel = "NAME=VALUE", description = "Replaces that option (repeatable).")
        List<String> options;
        @Option(names = "--schedule", paramLabel = "EXPRESSION", description = "New schedule expression ('' removes it).")
        String schedule;
        @Option(names = "--schedule-status", paramLabel = "STATUS", description = "ENABLED or DISABLED.")
        String scheduleStatus;
        @Mixin
        TaskSettings settings;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (name != null) {
                body.put("name", name);
            }
            if (options != null) {
                body.put("options", Options.parse(options, "--option"));
            }
            settings.addTo(body);
            if (schedule != null || scheduleStatus != null) {
                Map<String, Object> s = new LinkedHashMap<>();
                if (schedule != null) {
                    s.put("scheduleExpression", schedule);
                }
                if (scheduleStatus != null) {
                    s.put("status", scheduleStatus);
                }
                body.put("schedule", s);
            }
            if (body.isEmpty()) {
                throw new CliException("nothing to change: give at least one of --name, --option, --includes, --excludes, "
                        + "--schedule, --schedule-status, --report-*");
            }
            global.print(global.api().patch("/v1/tasks/" + id, body), TASK_COLUMNS);
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a task and its executions.")
    static final class TaskDelete extends DeleteCommand {
        TaskDelete() {
            super("/v1/tasks");
        }
    }

    @Command(name = "start", description = "Start an execution; --option overrides the task's options for this run.")
    static final class TaskStart implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "TASK_ID")
        String id;
        @Option(names = "--option", paramLabel = "NAME=VALUE")
        List<String> options;
        @Option(names = "--wait", description = "Wait for the end; exit 0 only on SUCCESS.")
        boolean await;
        @Mixin
        TaskSettings settings;

        @Override
        public Integer call() {
            ApiClient api = global.api();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("options", Options.parse(options, "--option"));
            settings.addTo(body);
            JsonNode execution = api.post("/v1/tasks/" + id + "/start", body);
            if (!await) {
                global.print(execution, EXECUTION_COLUMNS);
                return 0;
            }
            return ExecutionWatch.await(api, global, execution.get("id").asText(), System.err);
        }
    }

    // ---- executions

    @Command(name = "execution", description = "Runs of tasks.", subcommands = {ExecutionList.class, ExecutionGet.class,
            ExecutionCancel.class, ExecutionWait.class, ExecutionWatchCommand.class, ExecutionFailures.class, ExecutionUpdate.class})
    static final class Execution {
    }

    @Command(name = "list", description = "List executions.")
    static final class ExecutionList implements Callable<Integer> {
        @Mixin
        Global global;
        @Option(names = "--task", paramLabel = "TASK_ID")
        String task;

        @Override
        public Integer call() {
            JsonNode answer = global.api().get("/v1/task-executions" + (task == null ? "" : "?taskId=" + task));
            global.print(global.output == Output.Format.json ? answer : answer.get("executions"), EXECUTION_COLUMNS);
            return 0;
        }
    }

    @Command(name = "get", description = "Show an execution with its counters.")
    static final class ExecutionGet implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode execution = global.api().get("/v1/task-executions/" + id);
            if (global.output == Output.Format.json) {
                global.print(execution);
            } else {
                ExecutionWatch.summary(execution, System.out);
            }
            return 0;
        }
    }

    @Command(name = "cancel", description = "Cancel a running execution.")
    static final class ExecutionCancel implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            global.print(global.api().post("/v1/task-executions/" + id + "/cancel", Map.of()), EXECUTION_COLUMNS);
            return 0;
        }
    }

    @Command(name = "update", description = "Change BytesPerSecond of a queued or running execution (-1: unlimited).")
    static final class ExecutionUpdate implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--bytes-per-second", required = true, paramLabel = "N")
        long bytesPerSecond;

        @Override
        public Integer call() {
            global.print(global.api().patch("/v1/task-executions/" + id, Map.of("options", Map.of("BytesPerSecond", bytesPerSecond))),
                    EXECUTION_COLUMNS);
            return 0;
        }
    }

    @Command(name = "watch", description = "Follow an execution with a live progress line (files, bytes, rate, ETA), then "
            + "print its summary; exit 0 only on SUCCESS.")
    static final class ExecutionWatchCommand implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws InterruptedException {
            ApiClient api = global.api();
            ProgressLine line = new ProgressLine();
            boolean terminal = System.console() != null;
            long lastPrinted = 0;
            JsonNode execution;
            while (true) {
                execution = api.get("/v1/task-executions/" + id);
                boolean ended = ExecutionWatch.TERMINAL.contains(execution.path("status").asText());
                long now = System.nanoTime();
                String text = line.render(execution, now);
                if (terminal) {
                    System.out.print("\r" + text + "\u001b[K");
                    System.out.flush();
                } else if (ended || now - lastPrinted > 5_000_000_000L) {
                    System.out.println(text);
                    lastPrinted = now;
                }
                if (ended) {
                    break;
                }
                Thread.sleep(500);
            }
            if (terminal) {
                System.out.println();
            }
            ExecutionWatch.summary(execution, System.out);
            return "SUCCESS".equals(execution.path("status").asText()) ? 0 : 1;
        }
    }

    @Command(name = "wait", description = "Wait for an execution to end; exit 0 only on SUCCESS.")
    static final class ExecutionWait implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return ExecutionWatch.await(global.api(), global, id, System.err);
        }
    }

    @Command(name = "failures", description = "The items an execution could not transfer or verify, with error codes.")
    static final class ExecutionFailures implements Callable<Integer> {
        @Mixin
        Global global;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode answer = global.api().get("/v1/task-executions/" + id + "/failures");
            global.print(global.output == Output.Format.json ? answer : answer.get("failures"), "phase", "code", "key", "message");
            return 0;
        }
    }
}
