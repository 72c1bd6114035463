package city.hotline.hub.channel.webform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import city.hotline.hub.ticket.PermanentFailure;
import org.junit.jupiter.api.Test;

class WebformCallbackTest {

    private final WebformCallback restricted = new WebformCallback(new CallbackPolicy(List.of("forms.example.gov.cn", "*.app.example.cn")));
    private final CallbackPolicy open = new CallbackPolicy(List.of());

    @Test
    void callbacksGoOnlyToTheConfiguredHosts() {
        assertThatCode(() -> restricted.checkHost("https://forms.example.gov.cn/cb/1")).doesNotThrowAnyException();
        assertThatCode(() -> restricted.checkHost("https://api.app.example.cn/cb/1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> restricted.checkHost("http://169.254.169.254/latest/meta-data"))
                .isInstanceOf(PermanentFailure.class).hasMessageContaining("169.254.169.254 is not in hub.channels.webform.callback-hosts");
        assertThatThrownBy(() -> restricted.checkHost("https://forms.example.gov.cn.evil.com/cb")).isInstanceOf(PermanentFailure.class);
    }

    @Test
    void withAnEmptyListLoopbackLinkLocalPrivateAndUniqueLocalAddressesAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> open.checkAtIntake("http://localhost:9999/cb")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> open.checkAtIntake("http://127.0.0.1/cb")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> open.checkAtIntake("http://2130706433/cb")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> open.checkAtIntake("http://[::1]/cb")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> open.checkAtIntake("http://[::ffff:127.0.0.1]/cb")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> open.checkAtIntake("http://169.254.169.254/latest/meta-data")).hasMessageContaining("link-local (169.254.0.0/16");
        assertThatThrownBy(() -> open.checkAtIntake("http://10.1.2.3/cb")).hasMessageContaining("private (10/8, 172.16/12, 192.168/16)");
        assertThatThrownBy(() -> open.checkAtIntake("http://172.20.0.1/cb")).hasMessageContaining("private");
        assertThatThrownBy(() -> open.checkAtIntake("http://192.168.1.1/cb")).hasMessageContaining("private");
        assertThatThrownBy(() -> open.checkAtIntake("http://[fd12:3456::1]/cb")).hasMessageContaining("unique-local IPv6");
        assertThatThrownBy(() -> open.checkAtIntake("http://0.0.0.0/cb")).hasMessageContaining("unspecified");
        assertThatThrownBy(() -> open.checkAtIntake("file:///etc/passwd")).hasMessageContaining("http or https");
        assertThatCode(() -> open.checkAtIntake("https://8.8.8.8/cb")).doesNotThrowAnyException();
        assertThatCode(() -> open.checkAtIntake("https://forms.example.gov.cn/cb")).doesNotThrowAnyException();
        assertThatCode(() -> open.checkAtIntake("http://172.32.0.1/cb")).doesNotThrowAnyException();
    }

    @Test
    void atDeliveryTheResolvedAddressIsCheckedAgainstDnsRebinding() throws Exception {
        // a name (no literal address, so it passes at intake) that resolves to a loopback or private
        // address when the hub calls it: this machine's own name
        String name = java.net.InetAddress.getLocalHost().getHostName().toLowerCase();
        boolean internal = java.util.Arrays.stream(java.net.InetAddress.getAllByName(name))
                .anyMatch(a -> a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress());
        org.junit.jupiter.api.Assumptions.assumeTrue(internal && !name.equals("localhost"), "this machine's name resolves to a public address");
        assertThatCode(() -> open.checkAtIntake("http://" + name + "/cb")).doesNotThrowAnyException();
        assertThatThrownBy(() -> new WebformCallback(open).checkHost("http://" + name + "/cb"))
                .isInstanceOf(PermanentFailure.class).hasMessageContaining("callbackUrl host " + name + " is at ");
    }
}
