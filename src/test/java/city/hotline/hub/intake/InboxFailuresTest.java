package city.hotline.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.SQLException;
import java.util.UUID;

import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.StorageErrors;
import city.hotline.hub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 8, point 1: what becomes of a failing inbox item, on the real database. Bad data is
 * quarantined at once; an infrastructure failure (database down, pool exhausted, no transaction)
 * is retried however often, never quarantined; anything else is quarantined after max-attempts (5).
 */
class InboxFailuresTest extends HubIntegrationTest {

    @Autowired
    InboxFailures failures;
    @Autowired
    InboxStore inbox;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate tx;

    @Test
    void infrastructureErrorsAreRetriedForeverAndNeverQuarantined() {
        long id = parkedRow();
        Throwable[] outages = {
                new CannotGetJdbcConnectionException("HikariPool-1 - Connection is not available, request timed out after 30000ms."),
                new CannotCreateTransactionException("Could not open JDBC Connection for transaction"),
                new org.springframework.dao.DataAccessResourceFailureException("db down", new SQLException("Connection refused", "08001")),
                new RuntimeException(new SQLException("the database system is shutting down", "57P03")),
        };
        for (int attempt = 0; attempt < 12; attempt++) {
            failures.onFailure(claimed(id), outages[attempt % outages.length]);
        }
        assertThat(state(id)).isEqualTo("PENDING");
        assertThat(jdbc.queryForObject("SELECT attempts FROM inbox WHERE id = ?", Integer.class, id)).isEqualTo(12);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM quarantine WHERE ref_id = ? AND stage = 'MAPPING'", Long.class, id)).isZero();
    }

    @Test
    void aValueTheDatabaseRefusesIsQuarantinedAtOnceWithItsReason() {
        long id = parkedRow();
        Throwable refused = catchThrowable(() -> tx.executeWithoutResult(s -> jdbc.queryForObject("SELECT '{\"name\":\"a\\u0000b\"}'::jsonb::text", String.class)));
        assertThat(StorageErrors.isDataError(refused)).as(String.valueOf(refused)).isTrue();

        failures.onFailure(claimed(id), refused);

        assertThat(state(id)).isEqualTo("QUARANTINED");
        assertThat(jdbc.queryForObject("SELECT reason FROM quarantine WHERE ref_id = ? AND stage = 'MAPPING'", String.class, id)).contains("\\u0000");
    }

    @Test
    void aReasonQuotingTheBadValueIsStoredToo() {
        // found by the fuzz test: an error message quoting a NUL made the quarantine write fail, and the
        // item came back after every lease, for ever
        long id = parkedRow();

        failures.onFailure(claimed(id), new IllegalArgumentException("content 'a\u0000b\ud800' is not allowed"));

        assertThat(state(id)).isEqualTo("QUARANTINED");
        assertThat(jdbc.queryForObject("SELECT reason FROM quarantine WHERE ref_id = ?", String.class, id)).isEqualTo("content 'a\ufffdb\ufffd' is not allowed");
    }

    @Test
    void anUnclassifiedErrorIsQuarantinedAfterMaxAttemptsNotRetriedForever() {
        long id = parkedRow();
        for (int attempt = 1; attempt <= 4; attempt++) {
            failures.onFailure(claimed(id), new IllegalStateException("something odd " + attempt));
            assertThat(state(id)).isEqualTo("PENDING");
        }
        failures.onFailure(claimed(id), new IllegalStateException("something odd 5"));
        assertThat(state(id)).isEqualTo("QUARANTINED");
        assertThat(jdbc.queryForObject("SELECT reason FROM quarantine WHERE ref_id = ?", String.class, id))
                .isEqualTo("gave up after 5 attempts; last error: something odd 5");
    }

    @Test
    void storageErrorsTellOutagesFromBadData() {
        assertThat(StorageErrors.isInfrastructure(new CannotGetJdbcConnectionException("pool exhausted"))).isTrue();
        assertThat(StorageErrors.isInfrastructure(new CannotCreateTransactionException("no transaction"))).isTrue();
        assertThat(StorageErrors.isInfrastructure(new SQLException("connection failure", "08006"))).isTrue();
        assertThat(StorageErrors.isInfrastructure(new SQLException("too many connections", "53300"))).isTrue();
        assertThat(StorageErrors.isInfrastructure(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(StorageErrors.isDataError(new SQLException("unsupported Unicode escape sequence", "22P05"))).isTrue();
        assertThat(StorageErrors.isDataError(new SQLException("value too long for type character varying(10)", "22001"))).isTrue();
        assertThat(StorageErrors.isDataError(new SQLException("index row size exceeds maximum", "54000"))).isTrue();
        assertThat(StorageErrors.isInfrastructure(new SQLException("value too long", "22001"))).isFalse();
    }

    /** A row no worker takes on its own (its next attempt is far away); the test claims it by hand. */
    private long parkedRow() {
        String itemId = "failures-" + UUID.randomUUID();
        tx.executeWithoutResult(s -> {
            inbox.accept("webform", itemId, "{\"externalId\":\"" + itemId + "\",\"content\":\"x\"}");
            jdbc.update("UPDATE inbox SET next_attempt_at = now() + interval '1 day' WHERE channel_item_id = ?", itemId);
        });
        return jdbc.queryForObject("SELECT id FROM inbox WHERE channel_item_id = ?", Long.class, itemId);
    }

    private InboxFailures.Item claimed(long id) {
        UUID token = UUID.randomUUID();
        jdbc.update("UPDATE inbox SET claim_token = ?, claim_owner = 'test', claim_expires_at = now() + interval '1 minute', "
                + "next_attempt_at = now() + interval '1 day' WHERE id = ?", token, id);
        int attempts = jdbc.queryForObject("SELECT attempts FROM inbox WHERE id = ?", Integer.class, id);
        return new InboxFailures.Item(id, token, attempts, "webform", "x", null, "{}");
    }

    private String state(long id) {
        return jdbc.queryForObject("SELECT state FROM inbox WHERE id = ?", String.class, id);
    }
}
