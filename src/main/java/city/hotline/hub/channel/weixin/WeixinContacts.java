package city.hotline.hub.channel.weixin;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * When each citizen last wrote to the app: WeChat lets us send customer-service messages only
 * within 48 hours of the citizen's own message (table weixin_contact, V10).
 */
@Repository
public class WeixinContacts {

    private final JdbcTemplate jdbc;

    public WeixinContacts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a message from the citizen; an older (re-delivered) message never moves the time back. */
    public void messageReceived(String appId, String openId, Instant at) {
        jdbc.update("""
                INSERT INTO weixin_contact (app_id, openid, last_message_at) VALUES (?, ?, ?)
                ON CONFLICT (app_id, openid) DO UPDATE
                SET last_message_at = GREATEST(weixin_contact.last_message_at, EXCLUDED.last_message_at), updated_at = now()""",
                appId, openId, Timestamp.from(at));
    }

    /** WeChat says the window is closed (45015): the next reply waits for a new message or uses a subscribe message. */
    public void windowClosed(String appId, String openId) {
        jdbc.update("DELETE FROM weixin_contact WHERE app_id = ? AND openid = ?", appId, openId);
    }

    public Optional<Instant> lastMessageAt(String appId, String openId) {
        return jdbc.queryForList("SELECT last_message_at FROM weixin_contact WHERE app_id = ? AND openid = ?",
                Timestamp.class, appId, openId).stream().findFirst().map(Timestamp::toInstant);
    }
}
