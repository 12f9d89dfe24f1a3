package dev.ferry.locations;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file's content, with the checksum of everything it gave once it has been read to its end.
 * Where the file is remote, the checksum is computed where the file is, from the bytes as read
 * there, so comparing it with what a destination holds checks the whole way between them.
 */
public abstract class ChecksummedInputStream extends FilterInputStream {
    protected ChecksummedInputStream(InputStream in) {
        super(in);
    }

    /**
     * The checksum of the whole content.
     *
     * @throws IllegalStateException before the stream has been read to its end
     */
    public abstract ContentChecksum checksum();

    /** Computes the checksum here, from the bytes as they are read. */
    public static ChecksummedInputStream digesting(InputStream in, ChecksumAlgorithm algorithm) {
        return new Digesting(in, algorithm);
    }

    private static final class Digesting extends ChecksummedInputStream {
        private final ContentDigest digest;
        private ContentChecksum result;

        Digesting(InputStream in, ChecksumAlgorithm algorithm) {
            super(in);
            this.digest = new ContentDigest(algorithm);
        }

        @Override
        public int read() throws IOException {
            return InputStreams.readOneByte(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
            } else if (n < 0 && result == null) {
                result = digest.finish();
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("every byte must be read to be checksummed");
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public ContentChecksum checksum() {
            if (result == null) {
                throw new IllegalStateException("the content has not been read to its end");
            }
            return result;
        }
    }
}
