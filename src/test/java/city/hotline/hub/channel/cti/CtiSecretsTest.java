package city.hotline.hub.channel.cti;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import city.hotline.hub.console.SecretsGuard;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Issue 9 with issue 8's rule: the phone channel's secrets are required once it is enabled, and only then. */
class CtiSecretsTest {

    private static final Map<String, Object> BASE = Map.of("hub.api.keys", "k-1", "hub.backends.case-system.status-secret", "s3cret",
            "hub.console.admin-password", "adm-pw-1", "hub.console.operator-password", "op-pw-1");

    @Test
    void anEnabledPhoneChannelNeedsItsWebhookSecretAndTheSmsSecret() {
        assertThat(SecretsGuard.offending(env(Map.of("hub.channels.cti.enabled", "true"))))
                .containsExactly("hub.channels.cti.webhook-secret", "hub.sms.access-secret");
        assertThat(SecretsGuard.offending(env(Map.of("hub.channels.cti.enabled", "true", "hub.channels.cti.webhook-secret", "whsec_abc",
                "hub.sms.access-secret", "sms-secret")))).isEmpty();
    }

    @Test
    void aDisabledPhoneChannelNeedsNone() {
        assertThat(SecretsGuard.offending(env(Map.of()))).isEmpty();
    }

    @Test
    void secretsAreNotInToString() {
        CtiProperties cti = new CtiProperties(true, "freeswitch", "the-webhook-secret", "the-path-token", null, null, null,
                new CtiProperties.Freeswitch("pbx", 8021, "the-password", "plain", null, null));
        SmsProperties sms = new SmsProperties("https://sms", "SMS_1", "12345", "key", "the-sms-secret", null, 0);
        assertThat(cti.toString() + cti.freeswitch() + sms).doesNotContain("the-webhook-secret", "the-path-token", "the-password",
                "the-sms-secret");
    }

    private static StandardEnvironment env(Map<String, Object> extra) {
        Map<String, Object> all = new HashMap<>(BASE);
        all.putAll(extra);
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", all));
        return env;
    }
}
