package dev.amber.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import static java.util.Objects.requireNonNull;

/** The connection pool, migrated to the current schema, with JDBI on top. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Connects and applies every pending Flyway migration before anything else touches the schema. */
    public static Database connect(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(requireNonNull(jdbcUrl, "jdbcUrl"));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(16);
        config.setPoolName("amber");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** True when a trivial query succeeds: what /ready checks. */
    public boolean isReachable() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("select 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
