package io.lifeboat.engine.scheduler;

import io.lifeboat.domain.Scope;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.catalog.Page;
import io.lifeboat.domain.compute.ComputeService;
import io.lifeboat.domain.compute.Filters;
import io.lifeboat.domain.compute.Instance;
import io.lifeboat.domain.job.JobService;
import io.lifeboat.domain.job.RecoveryPoint;
import io.lifeboat.domain.job.RecoveryPointService;
import io.lifeboat.domain.job.WorkQueue;
import io.lifeboat.domain.plan.Plan;
import io.lifeboat.domain.plan.PlanService;
import io.lifeboat.domain.plan.Rule;
import io.lifeboat.domain.plan.ScheduleExpression;
import io.lifeboat.domain.plan.Selection;
import io.lifeboat.domain.plan.SelectionMatcher;
import io.lifeboat.domain.plan.SelectionService;
import io.lifeboat.domain.settings.SettingsService;
import io.lifeboat.domain.vault.Vault;
import io.lifeboat.domain.vault.VaultService;
import io.lifeboat.engine.jobs.Workers;
import io.lifeboat.engine.time.ServiceClock;
import io.lifeboat.engine.vault.VaultGc;
import io.lifeboat.engine.vault.VaultStores;
import io.lifeboat.store.maintenance.Copier;
import io.lifeboat.store.maintenance.GarbageCollector;
import io.lifeboat.store.repository.Repository;
import io.lifeboat.store.repository.Sweeper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns time into work. Each tick fires the plan rules whose cron came due since the last tick
 * (the mark moves by compare-and-set, so one node fires each interval), runs due lifecycle moves
 * and garbage collections, and lets the workers dispatch. {@link #advance} steps a simulated clock
 * from event to event, settling each step (its jobs run to their end) before the next.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final String RULES_MARK = "rules";
    /** Where a simulated clock stands, so a restarted server resumes in simulated time. */
    public static final String CLOCK_MARK = "simulated-clock";
    private static final List<String> KINDS = List.of(RecoveryPointService.COLD_WORK, RecoveryPointService.DELETE_WORK,
            VaultGc.KIND);
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(30);
    private static final Duration RETRY_PAUSE = Duration.ofHours(1);

    private final Catalog catalog;
    private final WorkQueue work;
    private final PlanService plans;
    private final SelectionService selections;
    private final ComputeService compute;
    private final JobService jobs;
    private final RecoveryPointService points;
    private final VaultService vaults;
    private final VaultStores stores;
    private final VaultGc gc;
    private final SettingsService settings;
    private final Workers workers;
    private final ServiceClock clock;
    private final Duration lease;
    private final String node = "scheduler-" + Long.toHexString(System.nanoTime());
    private final Thread thread;
    private volatile boolean running = true;

    public Scheduler(Catalog catalog, WorkQueue work, PlanService plans, SelectionService selections,
                     ComputeService compute, JobService jobs, RecoveryPointService points, VaultService vaults,
                     VaultStores stores, VaultGc gc, SettingsService settings, Workers workers,
                     ServiceClock clock, Duration lease) {
        this.catalog = catalog;
        this.work = work;
        this.plans = plans;
        this.selections = selections;
        this.compute = compute;
        this.jobs = jobs;
        this.points = points;
        this.vaults = vaults;
        this.stores = stores;
        this.gc = gc;
        this.settings = settings;
        this.workers = workers;
        this.clock = clock;
        this.lease = lease;
        this.thread = new Thread(this::loop, "lifeboat-scheduler");
        this.thread.setDaemon(true);
    }

    /** Starts ticking. Rules fire from the first start of the first node on, never retroactively. */
    public void start() {
        if (work.mark(RULES_MARK).isEmpty()) {
            work.advanceMark(RULES_MARK, null, clock.instant());
        }
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                tick();
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("scheduler tick failed; retrying in a second", e);
            }
        }
    }

    public synchronized void tick() {
        fireRules();
        lifecycle();
        workers.dispatch();
    }

    // ---- rules

    private void fireRules() {
        Instant now = clock.instant();
        Instant mark = work.mark(RULES_MARK).orElse(null);
        if (mark == null || !now.isAfter(mark) || !work.advanceMark(RULES_MARK, mark, now)) {
            return;
        }
        long began = System.nanoTime();
        int created = 0;
        for (String key : catalog.scopes(PlanService.PLAN)) {
            Scope scope = Scope.parse(key);
            if (!settings.get(scope).resourceTypeOptIn().getOrDefault("EC2", true)) {
                continue;
            }
            List<Instance> instances = null;
            Map<String, Map<String, String>> tags = new HashMap<>(); // read once per tick, not once per plan
            for (Plan plan : allPlans(scope)) {
                TreeMap<Instant, List<Rule>> firings = firings(plan, mark, now);
                if (firings.isEmpty()) {
                    continue;
                }
                if (instances == null) {
                    instances = compute.instances(scope, null, Filters.NONE).stream()
                            .filter(i -> i.state() != Instance.State.TERMINATED).toList();
                }
                List<Selection> sels = allSelections(scope, plan.id());
                for (Map.Entry<Instant, List<Rule>> f : firings.entrySet()) {
                    created += fire(scope, plan, f.getValue(), sels, instances, tags, f.getKey());
                }
                plans.markExecuted(scope, plan.id(), firings.lastKey());
            }
        }
        if (created > 0) {
            LOG.info("rules due by {} created {} backup jobs in {} ms", now, created,
                    (System.nanoTime() - began) / 1_000_000);
        }
    }

    /** Each rule's run times in (from, to] whose start window is still open at {@code to}, by time. */
    private static TreeMap<Instant, List<Rule>> firings(Plan plan, Instant from, Instant to) {
        TreeMap<Instant, List<Rule>> out = new TreeMap<>();
        for (Rule rule : plan.document().rules()) {
            ZoneId zone = ZoneId.of(rule.effectiveTimezone());
            ScheduleExpression cron = ScheduleExpression.parse(rule.effectiveSchedule());
            Instant earliest = to.minus(Duration.ofMinutes(rule.effectiveStartWindowMinutes()));
            ZonedDateTime t = cron.next((from.isAfter(earliest) ? from : earliest).atZone(zone), zone);
            while (t != null && !t.toInstant().isAfter(to)) {
                out.computeIfAbsent(t.toInstant(), x -> new ArrayList<>()).add(rule);
                t = cron.next(t, zone);
            }
        }
        return out;
    }

    /**
     * One job per selected resource. When several rules of the plan fire at once for a resource,
     * AWS takes one backup, for the rule with the longer retention (no expiry counts as longest).
     */
    private int fire(Scope scope, Plan plan, List<Rule> rules, List<Selection> sels, List<Instance> instances,
                     Map<String, Map<String, String>> tagsByArn, Instant at) {
        Rule rule = rules.stream().max((a, b) -> Long.compare(retention(a), retention(b))).orElseThrow();
        Map<String, String> roleByInstance = new HashMap<>();
        for (Instance i : instances) {
            Map<String, String> tags = tagsByArn.computeIfAbsent(i.arn(), compute::tags);
            for (Selection s : sels) {
                if (SelectionMatcher.matches(s, i.arn(), tags)) {
                    roleByInstance.putIfAbsent(i.id(), s.iamRoleArn());
                }
            }
        }
        int created = 0;
        for (Instance i : instances) {
            String role = roleByInstance.get(i.id());
            if (role != null) {
                jobs.scheduled(scope, plan, rule, role, i, at);
                created++;
            }
        }
        return created;
    }

    private static long retention(Rule r) {
        return r.lifecycle() == null || r.lifecycle().deleteAfterDays() == null ? Long.MAX_VALUE
                : r.lifecycle().deleteAfterDays();
    }

    private List<Plan> allPlans(Scope scope) {
        return Page.drain(token -> plans.list(scope, false, token, 100));
    }

    private List<Selection> allSelections(Scope scope, String planId) {
        return Page.drain(token -> selections.list(scope, planId, token, 100));
    }

    /** The next time any rule of any plan fires after {@code after}. */
    private Instant nextFiring(Instant after) {
        Instant next = null;
        for (String key : catalog.scopes(PlanService.PLAN)) {
            for (Plan plan : allPlans(Scope.parse(key))) {
                for (Rule rule : plan.document().rules()) {
                    ZoneId zone = ZoneId.of(rule.effectiveTimezone());
                    ZonedDateTime t = ScheduleExpression.parse(rule.effectiveSchedule()).next(after.atZone(zone), zone);
                    if (t != null && (next == null || t.toInstant().isBefore(next))) {
                        next = t.toInstant();
                    }
                }
            }
        }
        return next;
    }

    // ---- lifecycle and garbage collection

    private void lifecycle() {
        Instant real = Instant.now();
        for (WorkQueue.Item item : work.due(KINDS, clock.instant(), real, 500)) {
            if (!work.claim(item.id(), node, real.plus(lease), real)) {
                continue;
            }
            Scope scope = Scope.parse(item.scope());
            String target = item.id().substring(item.id().indexOf('|') + 1);
            try {
                switch (item.kind()) {
                    case RecoveryPointService.COLD_WORK -> {
                        RecoveryPoint p = points.find(scope, target).orElse(null);
                        if (p != null && p.status() == RecoveryPoint.Status.COMPLETED && "WARM".equals(p.storageClass())) {
                            moveToCold(scope, p);
                        }
                    }
                    case RecoveryPointService.DELETE_WORK -> {
                        RecoveryPoint p = points.find(scope, target).orElse(null);
                        if (p != null) {
                            deletePoint(scope, p);
                        }
                    }
                    case VaultGc.KIND -> {
                        VaultGc.Target t = VaultGc.target(item.id());
                        collect(scope, t.vaultName(), t.cold());
                    }
                    default -> throw new IllegalStateException(item.kind());
                }
                work.finish(item.id());
            } catch (IOException | RuntimeException e) {
                LOG.warn("{} of {} failed; it will be retried in an hour", item.kind(), target, e);
                work.postpone(item.id(), node, clock.instant().plus(RETRY_PAUSE));
            }
        }
    }

    /**
     * The point's volumes move to the vault's cold tier: copied there (re-encrypted, only chunks the
     * tier lacks), the point marked COLD, then its warm manifests deleted and the warm store
     * collected. A move cut short is retried whole; the copy skips what already arrived.
     */
    private void moveToCold(Scope scope, RecoveryPoint p) throws IOException {
        Vault vault = vaults.find(scope, p.vaultName()).orElse(null);
        if (vault == null) {
            return;
        }
        Repository warm = stores.open(scope, vault);
        Repository cold = stores.open(scope, vault, true);
        List<String> coldNames = cold.manifests();
        for (RecoveryPoint.PointVolume v : p.volumes()) {
            if (!coldNames.contains(v.manifest())) {
                new Copier(Repository.PACK_BYTES).copy(warm, v.manifest(), cold, v.manifest());
            }
        }
        points.save(scope, p.withStorageClass("COLD"));
        deleteManifests(warm, p);
        gc.queue(scope, vault.name(), false, clock.instant());
    }

    /** Expiry or deletion: the point's manifests go, then its image and record; GC frees the data. */
    private void deletePoint(Scope scope, RecoveryPoint p) throws IOException {
        if (p.status() != RecoveryPoint.Status.DELETING) {
            p = points.markDeleting(scope, p);
        }
        Vault vault = vaults.find(scope, p.vaultName()).orElse(null);
        if (vault != null) {
            boolean cold = "COLD".equals(p.storageClass());
            deleteManifests(stores.open(scope, vault, cold), p);
            gc.queue(scope, vault.name(), cold, clock.instant());
        }
        compute.deregisterImage(scope, p.imageId());
        points.remove(scope, p);
    }

    private static void deleteManifests(Repository repo, RecoveryPoint p) throws IOException {
        List<String> names = repo.manifests();
        for (RecoveryPoint.PointVolume v : p.volumes()) {
            if (names.contains(v.manifest())) {
                repo.deleteManifest(v.manifest());
            }
        }
    }

    /**
     * Collects a vault's garbage. Unused data is first condemned and deleted only a grace period
     * later, and repacked packs are retired, then condemned, then deleted; so while a collection
     * leaves something waiting, another follows (at once for retired packs, else after the grace).
     */
    private void collect(Scope scope, String vaultName, boolean cold) throws IOException {
        Vault vault = vaults.find(scope, vaultName).orElse(null);
        if (vault == null) {
            return;
        }
        Repository repo = stores.openFresh(scope, vault, cold);
        Sweeper.Result r = new GarbageCollector(repo, Repository.PACK_BYTES).collect();
        LOG.info("vault {}{}: garbage collection freed {} bytes", vault.arn(), cold ? " (cold tier)" : "",
                r.bytesFreed());
        if (!r.retired().isEmpty()) {
            gc.queue(scope, vaultName, cold, clock.instant()); // retired packs are condemned by the next collection
        } else if (!repo.gcState().isEmpty()) {
            gc.queue(scope, vaultName, cold, clock.instant().plus(repo.gcGrace()).plusSeconds(60));
        }
    }

    // ---- simulated time

    /**
     * Moves a simulated clock to {@code target}, stopping at every event on the way (rule firings,
     * start-window ends, lifecycle deadlines, garbage collections); with {@code settle}, each stop
     * waits until the jobs it started have ended, so data really moves at every step.
     */
    public synchronized void advance(Instant target, boolean settle) throws InterruptedException {
        while (true) {
            Instant now = clock.instant();
            Instant next = target;
            Instant queued = work.nextTime(now).orElse(null);
            if (queued != null && queued.isBefore(next)) {
                next = queued;
            }
            Instant firing = nextFiring(now);
            if (firing != null && firing.isBefore(next)) {
                next = firing;
            }
            Instant stored = work.mark(CLOCK_MARK).orElse(null);
            clock.set(next);
            work.advanceMark(CLOCK_MARK, stored, next);
            tick();
            if (settle) {
                settle();
            }
            if (!next.isBefore(target)) {
                return;
            }
        }
    }

    private void settle() throws InterruptedException {
        long until = System.currentTimeMillis() + SETTLE_LIMIT.toMillis();
        while (System.currentTimeMillis() < until) {
            workers.dispatch();
            lifecycle();
            if (workers.idle() && work.due(KINDS, clock.instant(), Instant.now(), 1).isEmpty()) {
                return;
            }
            workers.awaitChange(200);
        }
        LOG.warn("the clock step to {} did not settle within {}", clock.instant(), SETTLE_LIMIT);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
