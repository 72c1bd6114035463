package city.hotline.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** hub.cluster.node-id and hub.cluster.members are checked at start-up, with errors that name the entry. */
class ClusterMembersTest {

    @Test
    void theOwnEntryGivesTheBindAddressAndEveryEntryIsAnInitialHost() {
        ClusterMembers m = ClusterMembers.parse("hub-b", "hub-a@127.0.0.1:7800, hub-b@127.0.0.1:7801,hub-c@[::1]:7802");

        assertThat(m.self()).isEqualTo(new ClusterMembers.Member("hub-b", "127.0.0.1", 7801));
        assertThat(m.all()).extracting(ClusterMembers.Member::nodeId).containsExactly("hub-a", "hub-b", "hub-c");
        String xml = JGroupsStack.xml(m);
        assertThat(xml).contains("bind_addr=\"127.0.0.1\"").contains("bind_port=\"7801\"")
                .contains("initial_hosts=\"127.0.0.1[7800],127.0.0.1[7801],::1[7802]\"").doesNotContain("{");
    }

    @Test
    void aNodeIdThatIsNotInTheMembersListStopsTheStart() {
        assertThatThrownBy(() -> ClusterMembers.parse("hub-c", "hub-a@10.0.0.5:7800,hub-b@10.0.0.6:7800"))
                .hasMessageContaining("hub.cluster.node-id 'hub-c' is not in hub.cluster.members");
    }

    @Test
    void malformedOrRepeatedEntriesAreNamed() {
        assertThatThrownBy(() -> ClusterMembers.parse("a", "a@127.0.0.1:7800,b@127.0.0.1"))
                .hasMessageContaining("'b@127.0.0.1' is not nodeId@host:port");
        assertThatThrownBy(() -> ClusterMembers.parse("a", "a@127.0.0.1:7800,127.0.0.1:7801"))
                .hasMessageContaining("'127.0.0.1:7801' is not nodeId@host:port");
        assertThatThrownBy(() -> ClusterMembers.parse("a", "a@127.0.0.1:70000"))
                .hasMessageContaining("outside 1-65535");
        assertThatThrownBy(() -> ClusterMembers.parse("a", "a@127.0.0.1:7800,a@127.0.0.1:7801"))
                .hasMessageContaining("node id 'a' appears twice");
        assertThatThrownBy(() -> ClusterMembers.parse("a", "a@127.0.0.1:7800,b@127.0.0.1:7800"))
                .hasMessageContaining("127.0.0.1:7800 appears twice");
    }

    @Test
    void missingSettingsAreNamed() {
        assertThatThrownBy(() -> ClusterMembers.parse(" ", "a@127.0.0.1:7800")).hasMessageContaining("hub.cluster.node-id");
        assertThatThrownBy(() -> ClusterMembers.parse("a", "")).hasMessageContaining("hub.cluster.members");
    }
}
