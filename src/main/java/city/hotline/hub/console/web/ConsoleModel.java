package city.hotline.hub.console.web;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page has in its model: the signed-in user's view, and time shown in Asia/Shanghai. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
public class ConsoleModel {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ConsoleQueries.ZONE);

    @ModelAttribute("viewer")
    Viewer viewer(Authentication auth) {
        return Viewer.of(auth);
    }

    @ModelAttribute("t")
    Times times() {
        return new Times();
    }

    /** Formats the timestamps the queries return (java.sql.Timestamp, Instant) in Asia/Shanghai. */
    public static final class Times {
        public String now() {
            return SHOWN.format(Instant.now());
        }

        public String of(Object value) {
            if (value == null) {
                return "";
            }
            if (value instanceof java.sql.Timestamp ts) {
                return SHOWN.format(ts.toInstant());
            }
            if (value instanceof Instant i) {
                return SHOWN.format(i);
            }
            if (value instanceof TemporalAccessor ta) {
                return value.toString();
            }
            return value.toString();
        }
    }
}
