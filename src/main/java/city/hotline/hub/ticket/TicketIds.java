package city.hotline.hub.ticket;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Hub-assigned ticket ids: {@code T<yyyyMMdd>-<10 random Crockford base32 chars>} (50 bits of
 * randomness per day; the primary key catches the impossible collision). Readable on the phone,
 * stable, and usable as the idempotency key towards back-ends.
 */
public final class TicketIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private TicketIds() {
    }

    public static String next() {
        StringBuilder sb = new StringBuilder("T").append(LocalDate.now(MappingFunctions.SHANGHAI).format(DAY)).append('-');
        for (int i = 0; i < 10; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
