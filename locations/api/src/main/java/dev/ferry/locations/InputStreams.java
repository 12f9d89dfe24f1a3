package dev.ferry.locations;

import java.io.IOException;
import java.io.InputStream;

/** What Ferry's input streams share. */
public final class InputStreams {
    private InputStreams() {
    }

    /**
     * {@link InputStream#read()} for a stream whose work is all in {@code read(byte[], int, int)}:
     * one byte through it, or -1 at the end.
     */
    public static int readOneByte(InputStream in) throws IOException {
        byte[] one = new byte[1];
        return in.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
}
