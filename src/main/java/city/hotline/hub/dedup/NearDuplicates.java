package city.hotline.hub.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import city.hotline.hub.dispatch.TicketUpdates;
import city.hotline.hub.intake.InboxFailures;
import city.hotline.hub.store.InboxStore;
import city.hotline.hub.store.TicketStore;
import city.hotline.hub.ticket.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The near-duplicate stage, inside the storing transaction of {@link ExactDedup#recordBatch}: for each
 * fresh item (not a re-delivery) it decides "new ticket" or "merge into ticket X" ({@link #plan}), and
 * after the new tickets are stored it merges the others ({@link #apply}): the report becomes an extra
 * origin of the existing (主办) ticket, is listed in its {@code related[]} with its score and reasons,
 * and the case system gets an update of that ticket through {@link TicketUpdates}, never a second one.
 */
@Component
public class NearDuplicates {

    private static final Logger LOG = LoggerFactory.getLogger(NearDuplicates.class);

    /** A fresh item that joins an existing ticket. */
    public record Merge(TicketDraft draft, String ticketId, MergeDecision.Verdict verdict) {
    }

    /**
     * A fresh item that would join {@code fullTicketId}, which holds {@code hub.dedup.max-origins} reports
     * already: it becomes a ticket of its own that names the full one in {@code related[]}.
     */
    public record Overflow(TicketDraft draft, String fullTicketId, MergeDecision.Verdict verdict) {
    }

    /** What {@link #plan} decided for a batch: the drafts that stay new tickets, the merges, and the overflows among the fresh. */
    public record Plan(List<TicketDraft> fresh, List<Merge> merges, List<Overflow> overflows) {
        public Plan(List<TicketDraft> fresh, List<Merge> merges) {
            this(fresh, merges, List.of());
        }
    }

    private final DedupProperties props;
    private final DedupIndex index;
    private final MergeDecision decision;
    private final TicketStore tickets;
    private final TicketUpdates updates;
    private final InboxStore inbox;

    public NearDuplicates(DedupProperties props, DedupIndex index, TicketStore tickets, TicketUpdates updates, InboxStore inbox) {
        this.props = props;
        this.index = index;
        this.decision = new MergeDecision(props);
        this.tickets = tickets;
        this.updates = updates;
        this.inbox = inbox;
    }

    /**
     * Decides each draft against the shared index and against the drafts before it in this batch,
     * and adds every draft to the index (pointing at its own new ticket or at the one it joins). Takes
     * the index lock first, so no other transaction looks up or adds until this one ends.
     */
    public Plan plan(List<TicketDraft> drafts) {
        if (!props.enabled() || drafts.isEmpty()) {
            return new Plan(drafts, List.of());
        }
        index.lock();
        List<TicketDraft> fresh = new ArrayList<>();
        List<Merge> merges = new ArrayList<>();
        List<Overflow> overflows = new ArrayList<>();
        List<DedupIndex.Entry> added = new ArrayList<>();
        // reports each ticket holds: as the index counted them (up to max-origins), plus this batch's
        Map<String, Integer> held = new HashMap<>();
        for (TicketDraft d : drafts) {
            Report report = Report.of(d.ticket());
            long[] buckets = report.buckets();
            List<DedupIndex.Candidate> candidates = new ArrayList<>(index.candidates(report, buckets, props.window(), props.maxCandidates(),
                    props.rowsPerKey(), props.maxOrigins()));
            for (DedupIndex.Candidate c : candidates) {
                held.putIfAbsent(c.ticketId(), c.origins());
            }
            // the batch's own earlier drafts are not in the index tables yet
            for (DedupIndex.Entry e : added) {
                candidates.add(new DedupIndex.Candidate(-1, e.ticketId(), e.report()));
            }
            Choice choice = choose(d, report, candidates, held);
            String holder = choice.merge().map(Merge::ticketId).orElse(d.ticket().get("ticketId").asText());
            choice.merge().ifPresentOrElse(merges::add, () -> fresh.add(d));
            choice.overflow().ifPresent(o -> {
                relatedOf(d.ticket()).add(o.fullTicketId());
                overflows.add(o);
            });
            held.merge(holder, 1, Integer::sum);
            added.add(new DedupIndex.Entry(holder, ExactDedup.originKey(d), report, buckets, choice.merge().isPresent() ? d.ticket() : null));
        }
        index.addAll(added);
        return new Plan(fresh, merges, overflows);
    }

    /** Merge into a ticket with room, or (every accepted ticket is full) a ticket of its own related to the best full one, or neither. */
    record Choice(Optional<Merge> merge, Optional<Overflow> overflow) {
    }

    /**
     * The candidate to merge into: the highest score among those the decision accepts whose ticket holds
     * fewer than {@code max-origins} reports. When every accepted candidate's ticket is full, the report
     * overflows: it becomes a ticket of its own, related to the best full one, and later reports of the
     * same problem join it (it is a candidate like any other), so a viral complaint gives one ticket per
     * {@code max-origins} reports, each of bounded size (docs/dedup.md "A cap on origins").
     */
    Choice choose(TicketDraft d, Report report, List<DedupIndex.Candidate> candidates, Map<String, Integer> held) {
        Merge best = null;
        Merge bestFull = null;
        for (DedupIndex.Candidate c : candidates) {
            MergeDecision.Verdict v = decision.decide(report, c.report());
            if (!v.merge()) {
                continue;
            }
            boolean room = held.getOrDefault(c.ticketId(), 0) < props.maxOrigins();
            if (room && (best == null || v.score() > best.verdict().score())) {
                best = new Merge(d, c.ticketId(), v);
            } else if (!room && (bestFull == null || v.score() > bestFull.verdict().score())) {
                bestFull = new Merge(d, c.ticketId(), v);
            }
        }
        if (best != null) {
            return new Choice(Optional.of(best), Optional.empty());
        }
        return new Choice(Optional.empty(), Optional.ofNullable(bestFull).map(f -> new Overflow(d, f.ticketId(), f.verdict())));
    }

    /** Runs after the batch's new tickets are stored (a draft may join a ticket created in the same batch). */
    public void apply(Plan plan) {
        for (Overflow o : plan.overflows()) {
            String ticketId = o.draft().ticket().get("ticketId").asText();
            MDC.put("ticketId", ticketId);
            tickets.addEvent(ticketId, "RELATED", Map.of("ticketId", o.fullTicketId(), "score", o.verdict().score(), "reasons",
                    o.verdict().reasons(), "why", "ticket " + o.fullTicketId() + " holds max-origins (" + props.maxOrigins() + ") reports"));
            LOG.info("Ticket {} holds {} reports already: {} item {} became ticket {}, related to it (score {}: {})", o.fullTicketId(),
                    props.maxOrigins(), o.draft().ticket().at("/origins/0/channel").asText(), o.draft().ticket().at("/origins/0/channelItemId").asText(),
                    ticketId, o.verdict().score(), o.verdict().reasons());
        }
        for (Merge m : plan.merges()) {
            merge(m);
        }
    }

    private void merge(Merge m) {
        ObjectNode origin = (ObjectNode) m.draft().ticket().get("origins").get(0).deepCopy();
        String channel = origin.get("channel").asText();
        String itemId = origin.get("channelItemId").asText();
        MDC.put("ticketId", m.ticketId());
        ObjectNode holder = Json.object();
        holder.put("ticketId", m.ticketId());
        holder.putArray("origins").add(origin);
        tickets.insertOrigins(List.of(holder));
        ObjectNode related = Json.object();
        related.put("channel", channel);
        related.put("channelItemId", itemId);
        related.put("reportedAt", origin.get("receivedAt").asText());
        related.put("score", m.verdict().score());
        ArrayNode reasons = related.putArray("reasons");
        m.verdict().reasons().forEach(reasons::add);
        Optional<Integer> version = updates.apply(m.ticketId(), "MERGED",
                Map.of("channel", channel, "channelItemId", itemId, "score", m.verdict().score(), "reasons", m.verdict().reasons()),
                body -> {
                    ((ArrayNode) body.withArray("origins")).add(origin);
                    relatedOf(body).add(related);
                    return TicketUpdates.Change.of("origins", "related");
                });
        if (version.isEmpty()) {
            // the index pointed at a ticket that does not exist: fail the batch rather than lose the report
            throw new IllegalStateException("ticket " + m.ticketId() + " to merge " + channel + " item " + itemId + " into does not exist");
        }
        InboxFailures.Item item = m.draft().item();
        inbox.markDone(item.inboxId(), item.claimToken(), m.ticketId());
        LOG.info("Merged {} item {} into ticket {} (score {}: {})", channel, itemId, m.ticketId(), m.verdict().score(), m.verdict().reasons());
    }

    static ArrayNode relatedOf(ObjectNode body) {
        JsonNode r = body.get("related");
        return r instanceof ArrayNode a ? a : body.putArray("related");
    }
}
