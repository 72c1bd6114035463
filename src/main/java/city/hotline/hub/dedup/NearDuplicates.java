package city.hotline.hub.dedup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
    /**
     * Sketch positions ({@link MinHash#sketch}) a candidate must agree in to be checked exactly, unless it has
     * the same text or a requester in common: with this, a candidate at the lowest similarity a rule accepts
     * from strangers (place-jaccard, near-jaccard) is passed over once in 10,000 or less.
     */
    private final int minAgreement;

    public NearDuplicates(DedupProperties props, DedupIndex index, TicketStore tickets, TicketUpdates updates, InboxStore inbox) {
        this.props = props;
        this.index = index;
        this.decision = new MergeDecision(props);
        this.tickets = tickets;
        this.updates = updates;
        this.inbox = inbox;
        this.minAgreement = minAgreement(props);
    }

    /** The sketch agreement a candidate without the same text or a requester in common needs to be checked: {@link #minAgreement}. */
    public static int minAgreement(DedupProperties props) {
        return MinHash.leastAgreement(Math.min(props.placeJaccard(), props.nearJaccard()), 1e-4);
    }

    /**
     * Entries stored by others while a batch waited for the index lock that are matched in memory; above
     * this the batch looks each item up again instead. At full speed a batch waits for one or two others
     * (up to {@code max-batch} items each), so this is never reached unless the lock is badly contended.
     */
    static final int MAX_CATCH_UP = 2000;

    /**
     * Decides each draft against the shared index and against the drafts before it in this batch,
     * and adds every draft to the index (pointing at its own new ticket or at the one it joins):
     * {@link #prepare}, {@link #settle}, {@link #record}.
     */
    public Plan plan(List<TicketDraft> drafts) {
        Settled settled = settle(prepare(drafts));
        record(settled);
        return settled.plan();
    }

    /** The final plan of a batch, decided under the index lock, and the index entries {@link #record} adds for it. */
    public record Settled(Plan plan, List<DedupIndex.Entry> entries) {
    }

    /**
     * A batch looked up and decided before the index lock: the look-ups, the decisions and the plan they give
     * with the tickets' report counts as read then ({@link #tentative}). {@link #settle} makes it final.
     */
    public static final class Pending {
        private final long watermark;
        private final List<Prepared> prepared;
        private final List<List<Earlier>> earlier;
        private final Plan tentative;

        private Pending(long watermark, List<Prepared> prepared, List<List<Earlier>> earlier, Plan tentative) {
            this.watermark = watermark;
            this.prepared = prepared;
            this.earlier = earlier;
            this.tentative = tentative;
        }

        /** The plan as decided before the lock; {@link #settle} gives the same unless the index changed meanwhile. */
        public Plan tentative() {
            return tentative;
        }

        /** Whether settling takes the index lock (merging on and something to decide). */
        public boolean locks() {
            return prepared != null;
        }
    }

    /**
     * The look-ups and the decisions, the expensive part, before the index lock, so the inbox workers of
     * every instance do them at the same time; and the plan they give with the tickets' report counts as
     * they are now. The storing transaction can store that plan's new tickets before it takes the lock,
     * which it then holds for less time ({@link ExactDedup}).
     */
    public Pending prepare(List<TicketDraft> drafts) {
        if (!props.enabled() || drafts.isEmpty()) {
            return new Pending(0, null, null, new Plan(drafts, List.of()));
        }
        long watermark = index.watermark();
        List<Prepared> prepared = new ArrayList<>();
        for (TicketDraft d : drafts) {
            Report report = Report.of(d.ticket());
            prepared.add(new Prepared(d, report, report.buckets(), new LinkedHashMap<>(), new HashSet<>()));
        }
        lookUp(prepared);
        List<List<Earlier>> earlier = earlierInBatch(prepared);
        Plan tentative = decide(prepared, earlier, holdersOf(prepared), null);
        return new Pending(watermark, prepared, earlier, tentative);
    }

    /**
     * Under the index lock, the batch catches up: it reads the entries stored since its look-ups began (ids
     * above the watermark, see {@link DedupIndex#watermark}) and matches them in memory, and it reads the
     * ticket each accepted entry points at now and how many reports that ticket holds. So each decision still
     * sees every report committed before it, as if it had looked up under the lock (docs/dedup.md
     * "Concurrency"). Nothing is written yet ({@link #record}); the lock is held until the transaction ends,
     * or until it goes back to a savepoint set before this call (then settle again: it takes the lock again
     * and catches up with what was stored meanwhile too).
     */
    public Settled settle(Pending pending) {
        if (!pending.locks()) {
            return new Settled(pending.tentative(), List.of());
        }
        index.lock();
        catchUp(pending.prepared, pending.watermark);
        List<DedupIndex.Entry> entries = new ArrayList<>();
        Plan plan = decide(pending.prepared, pending.earlier, holdersOf(pending.prepared), entries);
        return new Settled(plan, entries);
    }

    /**
     * Under the lock, before the new tickets not stored early are: an overflow's ticket (never stored early)
     * names the full one, and the index gets the batch.
     */
    public void record(Settled settled) {
        for (Overflow o : settled.plan().overflows()) {
            relatedOf(o.draft().ticket()).add(o.fullTicketId());
        }
        index.addAll(settled.entries());
    }

    private Map<Long, DedupIndex.Holder> holdersOf(List<Prepared> prepared) {
        return index.holders(prepared.stream().flatMap(p -> p.accepted().keySet().stream()).collect(Collectors.toSet()), props.maxOrigins());
    }

    /**
     * Each draft's choice among the candidates the decision accepted, with {@code holders} (who holds each
     * accepted entry, and how many reports that ticket has); with {@code added}, every draft's index entry is
     * added to it.
     */
    private Plan decide(List<Prepared> prepared, List<List<Earlier>> earlier, Map<Long, DedupIndex.Holder> holders, List<DedupIndex.Entry> added) {
        List<TicketDraft> fresh = new ArrayList<>();
        List<Merge> merges = new ArrayList<>();
        List<Overflow> overflows = new ArrayList<>();
        // reports each ticket holds: as the index counts them now (up to max-origins), plus this batch's
        Map<String, Integer> held = new HashMap<>();
        String[] holderOf = new String[prepared.size()];
        for (int i = 0; i < prepared.size(); i++) {
            Prepared p = prepared.get(i);
            TicketDraft d = p.draft();
            List<Scored> candidates = new ArrayList<>();
            p.accepted().forEach((entryId, verdict) -> {
                DedupIndex.Holder h = holders.get(entryId);
                if (h != null) {
                    held.putIfAbsent(h.ticketId(), h.origins());
                    candidates.add(new Scored(h.ticketId(), verdict));
                }
            });
            // the batch's own earlier drafts are not in the index tables yet
            for (Earlier e : earlier.get(i)) {
                candidates.add(new Scored(holderOf[e.index()], e.verdict()));
            }
            Choice choice = choose(d, candidates, held);
            String holder = choice.merge().map(Merge::ticketId).orElse(d.ticket().get("ticketId").asText());
            choice.merge().ifPresentOrElse(merges::add, () -> fresh.add(d));
            choice.overflow().ifPresent(overflows::add);
            held.merge(holder, 1, Integer::sum);
            holderOf[i] = holder;
            if (added != null) {
                added.add(new DedupIndex.Entry(holder, ExactDedup.originKey(d), p.report(), p.buckets(),
                        choice.merge().isPresent() ? d.ticket() : null));
            }
        }
        return new Plan(fresh, merges, overflows);
    }

    /** A fresh draft with its report, and the stored entries the decision accepts (by entry id) among those it was compared with. */
    private record Prepared(TicketDraft draft, Report report, long[] buckets, Map<Long, MergeDecision.Verdict> accepted, Set<Long> compared) {
        void consider(DedupIndex.Candidate c, MergeDecision decision, int minAgreement) {
            if (compared.add(c.entryId()) && worthChecking(report, c.report(), minAgreement)) {
                MergeDecision.Verdict v = decision.decide(report, c.report());
                if (v.merge()) {
                    accepted.put(c.entryId(), v);
                }
            }
        }
    }

    /** The look-up's filter ({@link DedupIndex#worthChecking}) for a candidate held in memory: the same for every candidate, wherever found. */
    private static boolean worthChecking(Report incoming, Report candidate, int minAgreement) {
        return DedupIndex.worthChecking(incoming, candidate.fingerprint(), candidate.identities(), candidate.sketch(), minAgreement);
    }

    /** An earlier draft of the same batch that the decision accepts for a later one. */
    private record Earlier(int index, MergeDecision.Verdict verdict) {
    }

    /** A candidate's ticket and the decision's verdict on it. */
    record Scored(String ticketId, MergeDecision.Verdict verdict) {
    }

    /** Looks every draft up in the index, in one statement, and decides on each candidate found. */
    private void lookUp(List<Prepared> prepared) {
        List<List<DedupIndex.Candidate>> found = index.candidatesWorthChecking(prepared.stream().map(Prepared::report).toList(),
                prepared.stream().map(Prepared::buckets).toList(), props.window(), props.lookupBounds(), minAgreement);
        for (int i = 0; i < prepared.size(); i++) {
            for (DedupIndex.Candidate c : found.get(i)) {
                prepared.get(i).consider(c, decision, minAgreement);
            }
        }
    }

    /**
     * For each draft, the earlier drafts of the batch the decision accepts among those the index would give
     * as candidates if they were stored already ({@link PendingCandidates}).
     */
    private List<List<Earlier>> earlierInBatch(List<Prepared> prepared) {
        List<List<Earlier>> out = new ArrayList<>();
        PendingCandidates<Integer> earlier = new PendingCandidates<>(props.lookupBounds());
        for (int i = 0; i < prepared.size(); i++) {
            Prepared p = prepared.get(i);
            List<Earlier> accepted = new ArrayList<>();
            for (int j : earlier.best(p.report(), p.buckets())) {
                if (!worthChecking(p.report(), prepared.get(j).report(), minAgreement)) {
                    continue;
                }
                MergeDecision.Verdict v = decision.decide(p.report(), prepared.get(j).report());
                if (v.merge()) {
                    accepted.add(new Earlier(j, v));
                }
            }
            out.add(accepted);
            earlier.add(i, p.report(), p.buckets());
        }
        return out;
    }

    /**
     * Under the lock: compares each draft with the entries stored since the watermark that the index would
     * give as its candidates ({@link PendingCandidates}).
     */
    private void catchUp(List<Prepared> prepared, long watermark) {
        Instant first = prepared.stream().map(p -> p.report().reportedAt()).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = prepared.stream().map(p -> p.report().reportedAt()).max(Comparator.naturalOrder()).orElseThrow();
        List<DedupIndex.Candidate> since = index.entriesAfter(watermark, first.minus(props.window()), last.plus(props.window()),
                MAX_CATCH_UP + 1);
        if (since.size() > MAX_CATCH_UP) {
            LOG.debug("More than {} index entries stored while a batch waited for the index lock: looking its {} items up again",
                    MAX_CATCH_UP, prepared.size());
            lookUp(prepared);
            return;
        }
        PendingCandidates<DedupIndex.Candidate> stored = new PendingCandidates<>(props.lookupBounds());
        for (DedupIndex.Candidate c : since) {
            stored.add(c, c.report(), c.report().buckets());
        }
        for (Prepared p : prepared) {
            for (DedupIndex.Candidate c : stored.best(p.report(), p.buckets())) {
                p.consider(c, decision, minAgreement);
            }
        }
    }

    /** Merge into a ticket with room, or (every accepted ticket is full) a ticket of its own related to the best full one, or neither. */
    record Choice(Optional<Merge> merge, Optional<Overflow> overflow) {
    }

    /**
     * The candidate to merge into: the highest score among those the decision accepted whose ticket holds
     * fewer than {@code max-origins} reports. When every accepted candidate's ticket is full, the report
     * overflows: it becomes a ticket of its own, related to the best full one, and later reports of the
     * same problem join it (it is a candidate like any other), so a viral complaint gives one ticket per
     * {@code max-origins} reports, each of bounded size (docs/dedup.md "A cap on origins").
     */
    Choice choose(TicketDraft d, List<Scored> accepted, Map<String, Integer> held) {
        Merge best = null;
        Merge bestFull = null;
        for (Scored c : accepted) {
            MergeDecision.Verdict v = c.verdict();
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
        if (plan.merges().isEmpty()) {
            return;
        }
        List<ObjectNode> origins = new ArrayList<>();
        List<InboxStore.Done> done = new ArrayList<>();
        List<TicketUpdates.Request> requests = new ArrayList<>();
        for (Merge m : plan.merges()) {
            ObjectNode origin = (ObjectNode) m.draft().ticket().get("origins").get(0).deepCopy();
            requests.add(request(m, origin));
            ObjectNode holder = Json.object();
            holder.put("ticketId", m.ticketId());
            holder.putArray("origins").add(origin.deepCopy());
            origins.add(holder);
            InboxFailures.Item item = m.draft().item();
            done.add(new InboxStore.Done(item.inboxId(), item.claimToken(), m.ticketId()));
        }
        // the batch's merges in a handful of statements: one ticket update each took five round trips, and
        // one statement per merge for its origin row and its inbox mark; all of it runs under the index lock
        Map<String, Integer> versions = updates.applyAll(requests);
        for (int i = 0; i < plan.merges().size(); i++) {
            Merge m = plan.merges().get(i);
            JsonNode origin = origins.get(i).get("origins").get(0);
            String channel = origin.get("channel").asText();
            String itemId = origin.get("channelItemId").asText();
            MDC.put("ticketId", m.ticketId());
            if (!versions.containsKey(m.ticketId())) {
                // the index pointed at a ticket that does not exist: fail the batch rather than lose the report
                throw new IllegalStateException("ticket " + m.ticketId() + " to merge " + channel + " item " + itemId + " into does not exist");
            }
            LOG.info("Merged {} item {} into ticket {} (score {}: {})", channel, itemId, m.ticketId(), m.verdict().score(), m.verdict().reasons());
        }
        tickets.insertOrigins(origins);
        inbox.markAllDone(done);
    }

    /** The ticket's update for one merge: the report becomes an extra origin, and is listed in related[] with its score and reasons. */
    private static TicketUpdates.Request request(Merge m, ObjectNode origin) {
        String channel = origin.get("channel").asText();
        String itemId = origin.get("channelItemId").asText();
        ObjectNode related = Json.object();
        related.put("channel", channel);
        related.put("channelItemId", itemId);
        related.put("reportedAt", origin.get("receivedAt").asText());
        related.put("score", m.verdict().score());
        ArrayNode reasons = related.putArray("reasons");
        m.verdict().reasons().forEach(reasons::add);
        return new TicketUpdates.Request(m.ticketId(), "MERGED",
                Map.of("channel", channel, "channelItemId", itemId, "score", m.verdict().score(), "reasons", m.verdict().reasons()),
                body -> {
                    ((ArrayNode) body.withArray("origins")).add(origin);
                    relatedOf(body).add(related);
                    return TicketUpdates.Change.of("origins", "related");
                });
    }

    static ArrayNode relatedOf(ObjectNode body) {
        JsonNode r = body.get("related");
        return r instanceof ArrayNode a ? a : body.putArray("related");
    }
}
