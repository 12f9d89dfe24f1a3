package dev.ferry.locations;

import java.io.IOException;
import java.util.Optional;

/**
 * A stream that can hand over all it still holds as one array ({@link ArrayContent}) instead of
 * being read into another: a file received in one piece is then written from the array it
 * arrived in. Not thread-safe, as any stream.
 */
public interface WholeContent {
    /**
     * Reads to the end of the stream, with every check a read to the end makes, and gives what it
     * held, when nothing was read yet and it lies in one array. Otherwise empty, and the stream
     * reads on from where it was.
     */
    Optional<ArrayContent> readWhole() throws IOException;
}
