package io.lifeboat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code aws} command line (version 2) run against a test server with only
 * {@code --endpoint-url} added. Found through LIFEBOAT_AWS_CLI, else /usr/bin/aws, else PATH.
 */
public final class AwsCli {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String executable;
    private final TestServer server;
    private final Path home;

    public record Result(int exitCode, String stdout, String stderr) {
        public JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + stdout + " / " + stderr, e);
            }
        }
    }

    private AwsCli(String executable, TestServer server) throws IOException {
        this.executable = executable;
        this.server = server;
        // inside the server's data directory, so it goes when the server's does
        this.home = Files.createTempDirectory(server.dataDir(), "aws-home");
    }

    /**
     * The CLI for a test class: skips the class where no CLI v2 is installed, unless
     * LIFEBOAT_REQUIRE_CLI is set (CI sets it), where a missing CLI fails it.
     */
    public static AwsCli required(TestServer server) throws IOException {
        AwsCli cli = find(server);
        if (System.getenv("LIFEBOAT_REQUIRE_CLI") != null && cli == null) {
            throw new AssertionError("LIFEBOAT_REQUIRE_CLI is set but no aws CLI v2 was found");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(cli != null, "aws CLI v2 not installed");
        return cli;
    }

    /** The CLI if a version 2 is installed, else null. */
    public static AwsCli find(TestServer server) throws IOException {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("LIFEBOAT_AWS_CLI") != null) {
            candidates.add(System.getenv("LIFEBOAT_AWS_CLI"));
        }
        candidates.add("/usr/bin/aws");
        candidates.add("aws");
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "--version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor(60, TimeUnit.SECONDS) && out.startsWith("aws-cli/2.")) {
                    return new AwsCli(c, server);
                }
            } catch (IOException e) {
                // not this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "--endpoint-url", server.endpoint().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", server.key().accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", server.key().secretAccessKey());
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("HOME", home.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed and returns its JSON output. */
    public JsonNode ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("aws " + String.join(" ", args) + " failed: " + r.stderr());
        }
        return r.stdout().isBlank() ? null : r.json();
    }
}
