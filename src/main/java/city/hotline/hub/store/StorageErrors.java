package city.hotline.hub.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import city.hotline.hub.ticket.TransientFailure;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Tells a failure of the item from a failure of the infrastructure, by PostgreSQL's SQLSTATE class
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html) and Spring's exception kinds.
 * A bad item (a NUL in a text, a value too long) is quarantined; an outage is waited out.
 */
public final class StorageErrors {

    private StorageErrors() {
    }

    /** The database refused this item's data: data exception (22), integrity (23), program limit (54). */
    public static boolean isDataError(Throwable e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /**
     * The database or the connection to it failed, whatever the item: connection (08), resources
     * (53), operator intervention (57), serialisation or deadlock (40), no connection or transaction.
     */
    public static boolean isInfrastructure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException || t instanceof TransactionException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof TransientFailure) {
                return true;
            }
        }
        String state = sqlState(e);
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40"));
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }
}
