package io.lifeboat.store.repository;

import java.util.ArrayList;
import java.util.List;

/** How tests start a child JVM: this JVM's java and class path, native access for JNA. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The command running {@code main} with {@code args}, the JVM taking {@code options} first. */
    public static List<String> command(List<String> options, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(options);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
