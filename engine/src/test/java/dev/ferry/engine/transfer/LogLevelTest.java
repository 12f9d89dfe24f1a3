package dev.ferry.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.locations.posix.PosixLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogLevelTest {
    @TempDir
    Path temp;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Transfer.class);
    private Level before;

    @BeforeEach
    void capture() {
        before = logger.getLevel();
        logger.setLevel(Level.INFO);
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
        logger.setLevel(before);
    }

    private List<String> run(String logLevel) throws Exception {
        Path src = Files.createDirectories(temp.resolve(logLevel + "-src"));
        Files.writeString(src.resolve("one.txt"), "1");
        Files.writeString(src.resolve("two.txt"), "2");
        Files.writeString(src.resolve("three.txt"), "3");
        Path dst = Files.createDirectories(temp.resolve(logLevel + "-dst"));
        // A directory where the source has a file: that one fails.
        Files.createDirectories(dst.resolve("three.txt"));
        Files.writeString(dst.resolve("three.txt/inner"), "in the way");
        events.list.clear();
        new Transfer("execution=exec-7 task=task-3", new PosixLocation(src), new PosixLocation(dst),
                TaskOptions.parse(Map.of("LogLevel", logLevel), TaskOptions.DEFAULTS), 4, () -> 0, new ExecutionListener() { }).run();
        return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void transferLogsEveryFileAndBasicOnlyErrorsAndOffNothing() throws Exception {
        List<String> transfer = run("TRANSFER");
        assertThat(transfer).filteredOn(l -> l.startsWith("event=file_transferred")).hasSize(2)
                .allMatch(l -> l.contains("execution=exec-7 task=task-3"));
        assertThat(transfer).anyMatch(l -> l.startsWith("event=item_failed execution=exec-7 task=task-3") && l.contains("TYPE_CONFLICT"));

        List<String> basic = run("BASIC");
        assertThat(basic).noneMatch(l -> l.startsWith("event=file_transferred"));
        assertThat(basic).anyMatch(l -> l.startsWith("event=item_failed"));

        assertThat(run("OFF")).isEmpty();
    }
}
