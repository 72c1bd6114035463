package city.hotline.hub.channel.mail;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hub.channels.mail.*}, the mayor's mailbox (docs/mail.md); defaults live in application.yml.
 * The password is a secret: it comes from the environment, is never logged and is not part of
 * {@link #toString()} (SecretsGuard refuses an empty one while the channel is enabled).
 *
 * @param imapUrl            {@code imap://host:143} or {@code imaps://host:993}; read by route {@code mail-poll}
 * @param smtpUrl            {@code smtp://host:25} or {@code smtps://host:465}; replies go out here
 * @param folder             the folder read (INBOX)
 * @param address            the mailbox's own address, the sender of replies
 * @param maxAttachmentBytes an attachment up to this size is kept with the ticket; a larger one is only listed
 * @param replyStatuses      the ticket statuses answered by mail
 */
@ConfigurationProperties("hub.channels.mail")
public record MailProperties(boolean enabled, String imapUrl, String smtpUrl, String username, String password,
                             String folder, Duration pollInterval, String address, long maxAttachmentBytes,
                             List<String> replyStatuses) {

    public MailProperties {
        folder = folder == null || folder.isBlank() ? "INBOX" : folder;
        pollInterval = pollInterval == null ? Duration.ofMinutes(1) : pollInterval;
        maxAttachmentBytes = maxAttachmentBytes <= 0 ? 5L * 1024 * 1024 : maxAttachmentBytes;
        replyStatuses = replyStatuses == null || replyStatuses.isEmpty() ? List.of("ACCEPTED", "REPLIED", "CLOSED")
                : replyStatuses.stream().map(String::trim).toList();
    }

    @Override
    public String toString() {
        return "MailProperties[enabled=" + enabled + ", imapUrl=" + imapUrl + ", smtpUrl=" + smtpUrl + ", username=" + username
                + ", password=***, folder=" + folder + ", address=" + address + "]";
    }
}
