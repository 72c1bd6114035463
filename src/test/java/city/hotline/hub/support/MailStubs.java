package city.hotline.hub.support;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * GreenMail (SMTP + IMAP, dynamic ports) standing in for the mayor's mailbox: the hub polls the
 * mailbox user's INBOX and sends its replies through the SMTP server, which delivers them to the
 * citizens' own mailboxes on the same GreenMail (so a reply never lands in the polled INBOX).
 */
public final class MailStubs {

    public static final String ADDRESS = "mayor@hub.test";
    public static final String LOGIN = "mayor";
    public static final String PASSWORD = "mayor-test-password";
    /** Attachments larger than this are listed, not stored (hub.channels.mail.max-attachment-bytes). */
    public static final int MAX_ATTACHMENT_BYTES = 64 * 1024;
    public static final GreenMail GREENMAIL = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
    public static final GreenMailUser MAILBOX;

    static {
        GREENMAIL.start();
        MAILBOX = GREENMAIL.setUser(ADDRESS, LOGIN, PASSWORD);
    }

    private MailStubs() {
    }

    /** The lines HubIntegrationTest.hubProperties adds for the mail channel. */
    public static void register(DynamicPropertyRegistry r) {
        r.add("hub.channels.mail.enabled", () -> "true");
        r.add("hub.channels.mail.imap-url", () -> "imap://127.0.0.1:" + GREENMAIL.getImap().getPort());
        r.add("hub.channels.mail.smtp-url", () -> "smtp://127.0.0.1:" + GREENMAIL.getSmtp().getPort());
        r.add("hub.channels.mail.username", () -> LOGIN);
        r.add("hub.channels.mail.password", () -> PASSWORD);
        r.add("hub.channels.mail.address", () -> ADDRESS);
        r.add("hub.channels.mail.poll-interval", () -> "300");
        r.add("hub.channels.mail.initial-delay", () -> "200");
        r.add("hub.channels.mail.max-attachment-bytes", () -> Integer.toString(MAX_ATTACHMENT_BYTES));
    }
}
