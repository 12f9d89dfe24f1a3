package dev.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Daemons log Ferry's events at INFO; one-shot commands stay quiet. FERRY_LOG_LEVEL wins over both. */
final class Logging {
    private Logging() {
    }

    static void daemon() {
        if (System.getenv("FERRY_LOG_LEVEL") == null) {
            ((Logger) LoggerFactory.getLogger("dev.ferry")).setLevel(Level.INFO);
        }
    }
}
