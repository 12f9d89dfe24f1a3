package dev.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ferry} command: {@code ferry <resource> <verb> [flags]}. */
@Command(name = "ferry", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "ferry 0.1.0",
        description = "Self-hosted data transfer: agents, locations, tasks and verified transfers.",
        subcommands = {
                ControlPlaneCommand.class,
                ResourceCommands.ActivationKey.class,
                AgentCommands.AgentCommand.class,
                ResourceCommands.Location.class,
                ResourceCommands.Task.class,
                ResourceCommands.Execution.class,
                QuickstartCommand.class
        })
public final class Ferry {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Ferry());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e instanceof CliException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            commandLine.getErr().println("ferry: " + message);
            return 1;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            e.getCommandLine().getErr().println("ferry: " + e.getMessage());
            e.getCommandLine().getErr().println("try: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return 2;
        });
        return cli.execute(args);
    }
}
