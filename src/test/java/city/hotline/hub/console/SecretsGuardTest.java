package city.hotline.hub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import city.hotline.hub.HotlineHubApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Issue 8, point 6: no start with empty or shipped default secrets, outside the demo profile. */
class SecretsGuardTest {

    @Test
    void theHubRefusesToStartWithDefaultOrEmptySecretsAndNamesEveryOffendingProperty() {
        // the project's own defaults: local-dev-key, local-dev-secret; channels enabled without their secrets
        assertThatThrownBy(() -> new SpringApplicationBuilder(HotlineHubApplication.class).web(WebApplicationType.NONE)
                .run("--hub.channels.weixin.enabled=true", "--hub.channels.weibo.enabled=true",
                        "--hub.api.clients.partner.keys=local-dev-key,partner-real-key"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hub.api.keys")
                .hasMessageContaining("hub.api.clients.partner.keys")
                .hasMessageContaining("hub.backends.case-system.status-secret")
                .hasMessageContaining("hub.channels.weixin.app-secret")
                .hasMessageContaining("hub.channels.weixin.token")
                .hasMessageContaining("hub.channels.weixin.encoding-aes-key")
                .hasMessageContaining("hub.channels.weibo.access-token");
    }

    @Test
    void secretsOfChannelsThatAreOffAreNotRequired() {
        StandardEnvironment env = env(Map.of("hub.api.keys", "k-1,k-2", "hub.backends.case-system.status-secret", "s3cret",
                "hub.console.admin-password", "adm-pw-1", "hub.console.operator-password", "op-pw-1"));
        assertThat(SecretsGuard.offending(env)).isEmpty();
        env = env(Map.of("hub.api.keys", "k-1", "hub.backends.case-system.status-secret", "s3cret",
                "hub.console.admin-password", "adm-pw-1", "hub.console.operator-password", "op-pw-1",
                "hub.channels.weixin.enabled", "true", "hub.channels.weixin.app-secret", "a", "hub.channels.weixin.token", "t"));
        assertThat(SecretsGuard.offending(env)).containsExactly("hub.channels.weixin.encoding-aes-key");
    }

    @Test
    void theMailboxPasswordIsRequiredOnceTheMailChannelIsOn() {
        StandardEnvironment env = env(Map.of("hub.api.keys", "k-1", "hub.backends.case-system.status-secret", "s3cret",
                "hub.console.admin-password", "adm-pw-1", "hub.console.operator-password", "op-pw-1",
                "hub.channels.mail.enabled", "true"));
        assertThat(SecretsGuard.offending(env)).containsExactly("hub.channels.mail.password");
    }

    @Test
    void theNationalChannelNeedsItsAppKeyAndSecretOnlyWhenEnabled() {
        Map<String, Object> base = Map.of("hub.api.keys", "k-1", "hub.backends.case-system.status-secret", "s3cret",
                "hub.console.admin-password", "adm-pw-1", "hub.console.operator-password", "op-pw-1",
                "hub.channels.national.app-key", "city-0571");
        assertThat(SecretsGuard.offending(env(base))).isEmpty();
        Map<String, Object> enabled = new HashMap<>(base);
        enabled.put("hub.channels.national.enabled", "true");
        assertThat(SecretsGuard.offending(env(enabled))).containsExactly("hub.channels.national.app-secret");
        enabled.put("hub.channels.national.app-secret", "province-shared-secret");
        assertThat(SecretsGuard.offending(env(enabled))).isEmpty();
    }

    @Test
    void anEmptyKeyAmongRealOnesAndTheDefaultSecretAreBothNamed() {
        StandardEnvironment env = env(Map.of("hub.api.keys", "real-key, ", "hub.backends.case-system.status-secret", "local-dev-secret",
                "hub.console.admin-password", "adm-pw-1", "hub.console.operator-password", "op-pw-1"));
        assertThat(SecretsGuard.offending(env)).containsExactly("hub.api.keys", "hub.backends.case-system.status-secret");
    }

    @Test
    void theDemoProfileStartsWithTheShippedDevelopmentSecrets() {
        StandardEnvironment env = env(Map.of("hub.api.keys", "local-dev-key", "hub.backends.case-system.status-secret", "local-dev-secret"));
        env.setActiveProfiles("demo");
        assertThatNoException().isThrownBy(() -> SecretsGuard.check(env));
        env.setActiveProfiles();
        assertThatThrownBy(() -> SecretsGuard.check(env))
                .hasMessageContaining("hub.api.keys, hub.backends.case-system.status-secret");
    }

    @Test
    void theConsolePasswordsMustBeSetAndNeitherTheDemoOnesNorAGuessableDefault() {
        StandardEnvironment env = env(Map.of("hub.api.keys", "k-1", "hub.backends.case-system.status-secret", "s3cret"));
        assertThat(SecretsGuard.offending(env)).containsExactly("hub.console.admin-password", "hub.console.operator-password");
        // the demo profile's own passwords (application-demo.yml) and the obvious ones are refused outside it
        StandardEnvironment shipped = env(Map.of("hub.api.keys", "k-1", "hub.backends.case-system.status-secret", "s3cret",
                "hub.console.admin-password", "demo-admin", "hub.console.operator-password", "operator"));
        assertThat(SecretsGuard.offending(shipped)).containsExactly("hub.console.admin-password", "hub.console.operator-password");
        assertThatThrownBy(() -> SecretsGuard.check(shipped)).hasMessageContaining("hub.console.admin-password, hub.console.operator-password");
        shipped.setActiveProfiles("demo");
        assertThatNoException().isThrownBy(() -> SecretsGuard.check(shipped));
    }

    private static StandardEnvironment env(Map<String, Object> props) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", new HashMap<>(props)));
        return env;
    }
}
