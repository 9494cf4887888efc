package io.lifeboat.domain.compute;

/** What holds a volume's bytes on this machine. */
public enum Backing {
    /** A sparse image file Lifeboat created under its data directory. */
    MANAGED,
    /** An existing disk-image file named in the configuration. */
    IMAGE_FILE,
    /** An existing block device named in the configuration. */
    BLOCK_DEVICE,
    /** A directory: backed up as a file tree, not as an image. */
    DIRECTORY;

    public boolean isTree() {
        return this == DIRECTORY;
    }
}
