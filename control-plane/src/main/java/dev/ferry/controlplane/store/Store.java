package dev.ferry.controlplane.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The control plane's SQL store: an embedded H2 file database in the data directory by default,
 * migrated by Flyway at start. All access goes through {@link #jdbi()}.
 */
public final class Store implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Store(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens (creating when new) the embedded database under {@code dataDir}. */
    public static Store embedded(Path dataDir) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dataDir.resolve("ferry").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        config.setUsername("ferry");
        config.setPassword("");
        config.setMaximumPoolSize(8);
        config.setPoolName("ferry-store");
        return new Store(new HikariDataSource(config));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
