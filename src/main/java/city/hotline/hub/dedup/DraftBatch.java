package city.hotline.hub.dedup;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

/**
 * Collects the ticket drafts of one inbox batch (the split in route inbox-to-ticket) for
 * {@link ExactDedup#recordBatch}. The result is a fresh exchange, never one of the items': Camel's
 * list strategies ({@code GroupedBodyAggregationStrategy}) build on the first item's exchange, and
 * when that item had failed (quarantined by inbox-errors, so marked as handled by the error
 * handler) the route stopped right after the split, leaving every other item of the batch claimed
 * until its lease ran out (found with a batch whose first national case had a bad time).
 */
public class DraftBatch implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange result = oldExchange;
        if (result == null) {
            result = new DefaultExchange(newExchange.getContext());
            result.getMessage().setBody(new ArrayList<>());
        }
        Object body = newExchange.getMessage().getBody();
        if (body instanceof TicketDraft draft) {
            @SuppressWarnings("unchecked")
            List<Object> drafts = result.getMessage().getBody(List.class);
            drafts.add(draft);
        }
        return result;
    }
}
