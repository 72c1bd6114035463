package city.hotline.hub.channel.weibo;

import static org.assertj.core.api.Assertions.assertThat;

import city.hotline.hub.support.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two hub instances' {@link WeiboAuth} on one database: token and re-authorisation stop are shared. */
class WeiboAuthSharedTest {

    private HikariDataSource pool1;
    private HikariDataSource pool2;

    @BeforeEach
    void pools() {
        TestDatabase.clearChannelState();
        pool1 = TestDatabase.newPool("hub-1");
        pool2 = TestDatabase.newPool("hub-2");
    }

    @AfterEach
    void close() {
        pool1.close();
        pool2.close();
    }

    private static WeiboAuth instance(HikariDataSource pool, String configuredToken) {
        WeiboProperties props = new WeiboProperties(true, "http://localhost", configuredToken, null, null, null, 0, 0, null, null);
        return new WeiboAuth(props, TestDatabase.channelState(pool));
    }

    @Test
    void aReauthorisationStopSeenByOneInstanceStopsTheOtherAndANewTokenResumesBoth() {
        WeiboAuth hub1 = instance(pool1, "CONFIGURED");
        WeiboAuth hub2 = instance(pool2, "CONFIGURED");
        assertThat(hub2.token()).isEqualTo("CONFIGURED");

        hub1.reauthorisationNeeded("21327 expired_token");
        hub2.reauthorisationNeeded("21315 token expired (later reason)");

        assertThat(hub2.reauthorisation()).isNotNull().extracting(WeiboAuth.Reauthorisation::reason).isEqualTo("21327 expired_token");

        hub2.reauthorised(" FRESH ");

        assertThat(hub1.reauthorisation()).isNull();
        assertThat(hub1.token()).isEqualTo("FRESH");
        assertThat(hub1.toString()).doesNotContain("FRESH").doesNotContain("CONFIGURED");
    }

    @Test
    void aRestartWithTheSameConfiguredTokenKeepsTheOneHandedOverButANewConfiguredTokenWins() {
        WeiboAuth hub1 = instance(pool1, "CONFIGURED");
        hub1.reauthorised("HANDED_OVER");

        assertThat(instance(pool2, "CONFIGURED").token()).as("restart, same environment").isEqualTo("HANDED_OVER");

        hub1.reauthorisationNeeded("21327 expired_token");
        WeiboAuth restarted = instance(pool2, "NEW_FROM_ENV");
        assertThat(restarted.token()).isEqualTo("NEW_FROM_ENV");
        assertThat(restarted.reauthorisation()).as("a new configured token lifts the stop").isNull();
        assertThat(hub1.token()).isEqualTo("NEW_FROM_ENV");
    }
}
