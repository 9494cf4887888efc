package io.lifeboat.server;

import io.lifeboat.domain.DomainException;
import io.lifeboat.domain.Ids;
import io.lifeboat.domain.catalog.Catalog;
import io.lifeboat.domain.compute.ComputeService;
import io.lifeboat.domain.compute.ComputeTags;
import io.lifeboat.domain.iam.IamService;
import io.lifeboat.domain.kms.KmsService;
import io.lifeboat.domain.kms.MasterKey;
import io.lifeboat.domain.plan.PlanService;
import io.lifeboat.domain.plan.SelectionService;
import io.lifeboat.domain.settings.SettingsService;
import io.lifeboat.domain.tagging.TagService;
import io.lifeboat.domain.vault.VaultService;
import io.lifeboat.edge.ErrorTables;
import io.lifeboat.edge.Gateway;
import io.lifeboat.edge.ServiceEndpoint;
import io.lifeboat.edge.http.HttpFront;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.protocol.Protocol;
import io.lifeboat.edge.protocol.ServiceModel;
import io.lifeboat.edge.sigv4.AccessKey;
import io.lifeboat.edge.sigv4.CredentialScope;
import io.lifeboat.edge.sigv4.Principal;
import io.lifeboat.edge.sigv4.SigV4Verifier;
import io.lifeboat.domain.job.JobService;
import io.lifeboat.domain.job.RecoveryPointService;
import io.lifeboat.domain.job.WorkQueue;
import io.lifeboat.engine.jobs.StoreImageData;
import io.lifeboat.engine.jobs.Workers;
import io.lifeboat.engine.persistence.Database;
import io.lifeboat.engine.scheduler.Scheduler;
import io.lifeboat.engine.time.ServiceClock;
import io.lifeboat.engine.vault.VaultGc;
import io.lifeboat.engine.vault.VaultStores;
import io.lifeboat.provider.backup.JobProvider;
import io.lifeboat.provider.backup.AccountProvider;
import io.lifeboat.provider.backup.PlanProvider;
import io.lifeboat.provider.backup.VaultProvider;
import io.lifeboat.provider.ec2.Ec2Provider;
import io.lifeboat.provider.iam.IamProvider;
import io.lifeboat.store.io.OffHeap;
import io.lifeboat.provider.kms.KmsProvider;
import io.lifeboat.provider.sts.StsProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole server, wired in one readable place: clock and ids, secrets, database and catalog,
 * domain services, providers, service endpoints, the gateway and the HTTP listener. No static
 * state, so a test can start as many servers as it likes on random ports.
 */
public final class Application implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Application.class);
    private final Database database;
    private final HttpFront front;
    private final Workers workers;
    private final Scheduler scheduler;
    private final List<AccessKey> keys;
    private final boolean keysCreated;

    private Application(Database database, HttpFront front, Workers workers, Scheduler scheduler, List<AccessKey> keys,
                        boolean keysCreated) {
        this.database = database;
        this.front = front;
        this.workers = workers;
        this.scheduler = scheduler;
        this.keys = keys;
        this.keysCreated = keysCreated;
    }

    public static Application start(Config config) {
        ServiceClock clock = new ServiceClock();
        Ids ids = new Ids();
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
        OffHeap.defaultDirectory(config.dataDir().resolve("cache")); // vaults' large indexes are mapped from here
        MasterKey master = new MasterKey(Secrets.masterKey(config.dataDir(), ids));
        Secrets.Keys keys = Secrets.accessKeys(config.dataDir(), config.defaultAccountId(), ids);

        Database database = config.dbUrl() == null ? Database.embedded(config.dataDir())
                : Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        Catalog catalog = database.catalog();

        KmsService kms = new KmsService(catalog, master, ids, clock);
        IamService iam = new IamService(catalog, ids, clock);
        VaultService vaults = new VaultService(catalog, kms, clock, config.quotas());
        PlanService plans = new PlanService(catalog, vaults, ids, clock, config.quotas());
        SelectionService selections = new SelectionService(catalog, plans, iam, ids, clock);
        TagService tags = new TagService(catalog, vaults, plans);
        SettingsService settings = new SettingsService(catalog, clock);
        ComputeService compute = new ComputeService(catalog, ids, clock, config.dataDir().resolve("volumes"));
        ComputeTags computeTags = new ComputeTags(catalog, compute);
        WorkQueue work = database.workQueue();
        work.mark(Scheduler.CLOCK_MARK).ifPresent(clock::set); // a simulated clock survives restarts
        VaultStores stores = new VaultStores(config.dataDir().resolve("vaults"), kms, clock);
        RecoveryPointService points = new RecoveryPointService(catalog, work, vaults, clock);
        compute.connect(new StoreImageData(vaults, points, stores));
        JobService jobs = new JobService(catalog, work, vaults, compute, points, ids, clock);
        VaultGc gc = new VaultGc(work);
        Workers workers = new Workers(work, jobs, points, vaults, compute, computeTags, iam, stores, gc, ids, clock,
                config.jobs().workers(), config.jobs().lease(), config.jobs().readBytesPerSecond());
        Scheduler scheduler = new Scheduler(catalog, work, plans, selections, compute, jobs, points, vaults, stores,
                gc, settings, workers, clock, config.jobs().lease());
        if (config.machinesFile() != null) {
            Machines.declare(config.machinesFile(), config.defaultAccountId(), compute);
        }
        // a day old at least: a long restore on another node writes its files before its records
        int orphans = compute.removeOrphanVolumes(Duration.ofDays(1));
        if (orphans > 0) {
            LOG.warn("removed {} volume files that no volume names (left by a launch or restore that stopped)",
                    orphans);
        }

        Map<String, ServiceEndpoint> services = Map.of(
                "backup", endpoint("backup", ErrorTables.BACKUP, new VaultProvider(vaults),
                        new PlanProvider(plans, selections), new AccountProvider(tags, settings),
                        new JobProvider(jobs, points, vaults)),
                "iam", endpoint("iam", ErrorTables.IAM, new IamProvider(iam)),
                "sts", endpoint("sts", ErrorTables.STS, new StsProvider()),
                "kms", endpoint("kms", ErrorTables.KMS, new KmsProvider(kms)),
                "ec2", endpoint("ec2", ErrorTables.EC2, new Ec2Provider(compute, computeTags)));
        Gateway gateway = new Gateway(services, "backup", authenticator(config, keys.keys()),
                Map.of(ClockEndpoint.PATH, new ClockEndpoint(clock, scheduler)));
        HttpFront front = new HttpFront(new InetSocketAddress(config.host(), config.port()), config.maxBodyBytes(),
                gateway::handle, Application::tooLarge);
        try {
            front.start();
            scheduler.start();
            return new Application(database, front, workers, scheduler, keys.keys(), keys.created());
        } catch (IOException e) {
            front.close();
            workers.close();
            database.close();
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
        }
    }

    private static WireResponse tooLarge(long max) {
        return WireResponse.text(413, "application/json", "{\"__type\":\"RequestEntityTooLargeException\","
                + "\"Message\":\"Request body larger than " + max + " bytes\"}")
                .withHeader("x-amzn-ErrorType", "RequestEntityTooLargeException");
    }

    private static ServiceEndpoint endpoint(String name, Map<DomainException.Kind, String> errors,
                                            Object... providers) {
        return new ServiceEndpoint(Protocol.of(ServiceModel.load(name)), errors, providers);
    }

    /** SigV4 against the configured keys; or, only when asked for, any credentials as the default account. */
    private static Gateway.Authenticator authenticator(Config config, List<AccessKey> keys) {
        if (config.anyCredentials()) {
            return request -> {
                Optional<CredentialScope> scope = CredentialScope.of(request);
                return new Principal(config.defaultAccountId(), scope.map(CredentialScope::accessKeyId).orElse(""),
                        scope.map(CredentialScope::region).orElse("us-east-1"),
                        scope.map(CredentialScope::service).orElse(""));
            };
        }
        Map<String, AccessKey> byId = new HashMap<>();
        keys.forEach(k -> byId.put(k.accessKeyId(), k));
        SigV4Verifier verifier = new SigV4Verifier(id -> Optional.ofNullable(byId.get(id)), Clock.systemUTC(),
                Duration.ofMinutes(15));
        return verifier::verify;
    }

    public int port() {
        return front.port();
    }

    public String endpoint() {
        return "http://" + front.host() + ":" + front.port();
    }

    public List<AccessKey> accessKeys() {
        return keys;
    }

    /** Whether this start created the access keys (so they should be shown once). */
    public boolean accessKeysCreated() {
        return keysCreated;
    }

    @Override
    public void close() {
        front.close();
        scheduler.close();
        workers.close();
        database.close();
    }
}
