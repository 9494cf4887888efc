package io.lifeboat.server;

import static io.lifeboat.server.Cli.Option.flag;
import static io.lifeboat.server.Cli.Option.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CliTest {
    private final AtomicReference<Cli.Parsed> seen = new AtomicReference<>();
    private final Cli.Command command = new Cli.Command("copy", "Copy a thing.", List.of("<name>"), List.of(
            value("--to", "<repo>", "Where."),
            value("--grace", "<duration>", "How long.").orElse("PT24H"),
            flag("--cold", "Cold.")), p -> {
                seen.set(p);
                p.required("--to");
                p.duration("--grace");
                return 0;
            });
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.execute("lifeboat store", command, List.of(args), print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void parsesOptionsBothWaysFlagsDefaultsAndParameters() {
        assertThat(run("--to", "/a", "p1", "--cold")).isZero();
        assertThat(seen.get().get("--to")).isEqualTo("/a");
        assertThat(seen.get().parameter(0)).isEqualTo("p1");
        assertThat(seen.get().flag("--cold")).isTrue();
        assertThat(seen.get().duration("--grace")).isEqualTo(Duration.ofHours(24));
        assertThat(run("--to=/b", "--grace=PT0S", "--", "--p2")).isZero();
        assertThat(seen.get().get("--to")).isEqualTo("/b");
        assertThat(seen.get().parameter(0)).isEqualTo("--p2");
        assertThat(seen.get().flag("--cold")).isFalse();
    }

    @Test
    void badInputIsAUsageErrorWithStatusTwoAndTheUsage() {
        record Case(List<String> args, String message) {
        }
        for (Case c : List.of(
                new Case(List.of("--to", "/a"), "Missing required parameter: '<name>'"),
                new Case(List.of("--to", "/a", "p1", "p2"), "Unmatched argument: 'p2'"),
                new Case(List.of("p1", "--bogus"), "Unknown option: '--bogus'"),
                new Case(List.of("p1", "--to"), "Missing value for option '--to=<repo>'"),
                new Case(List.of("p1", "--cold=yes", "--to", "/a"), "Option '--cold' takes no value"),
                new Case(List.of("p1"), "Missing required option: '--to=<repo>'"),
                new Case(List.of("p1", "--to", "/a", "--grace", "soon"), "Invalid value for option '--grace'"))) {
            err.reset();
            assertThat(run(c.args().toArray(String[]::new))).as(c.args().toString()).isEqualTo(2);
            assertThat(err()).startsWith("lifeboat: " + c.message())
                    .contains("Usage: lifeboat store copy [options] <name>");
        }
    }

    @Test
    void helpGoesToStandardOutputWithStatusZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: lifeboat store copy [options] <name>")
                .contains("--grace=<duration>").contains("(default: PT24H)");
    }

    @Test
    void aFailureIsOneLineWithStatusOne() {
        Cli.Command failing = new Cli.Command("ls", "List.", List.of(), List.of(), p -> {
            throw new java.io.IOException("the pack is gone");
        });
        int status = Cli.execute("lifeboat store", failing, List.of(), print(out), print(err));
        assertThat(status).isEqualTo(1);
        assertThat(err()).isEqualTo("lifeboat: the pack is gone" + System.lineSeparator());
    }

    @Test
    void runningOutOfHeapSaysHowToGiveItMore() {
        Cli.Command hungry = new Cli.Command("gc", "Collect.", List.of(), List.of(), p -> {
            throw new OutOfMemoryError("Java heap space");
        });
        assertThat(Cli.execute("lifeboat store", hungry, List.of(), print(out), print(err))).isEqualTo(1);
        assertThat(err()).startsWith("lifeboat: out of memory in a ").contains("LIFEBOAT_JAVA_OPTS=-Xmx")
                .doesNotContain("\tat ");
    }

    @Test
    void unknownCommandsAndBareGroupsShowTheGroupUsage() {
        assertThat(Main.run("store", "frob")).isEqualTo(2);
        assertThat(Main.run("store")).isEqualTo(2);
        assertThat(Main.run("store", "--help")).isZero();
        assertThat(Main.run("--version")).isZero();
        assertThat(Main.run("store", "backup")).isEqualTo(2);
    }
}
