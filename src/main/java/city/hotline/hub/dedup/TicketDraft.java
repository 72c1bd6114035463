package city.hotline.hub.dedup;

import city.hotline.hub.intake.InboxFailures;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A validated ticket waiting to be stored, with the claimed inbox row it came from. */
public record TicketDraft(InboxFailures.Item item, ObjectNode ticket) {
}
