package dev.ferry.locations.smb;

import com.hierynomus.smbj.share.File;
import dev.ferry.locations.InputStreams;
import java.io.IOException;
import java.io.InputStream;

/** Reads an open SMB file from an offset with positional reads; closing it closes the file. */
final class SmbFileInput extends InputStream {
    private final File file;
    private final String key;
    private long position;
    private boolean closed;

    SmbFileInput(File file, String key, long offset) {
        this.file = file;
        this.key = key;
        this.position = offset;
    }

    @Override
    public int read() throws IOException {
        return InputStreams.readOneByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException(key + ": read after close");
        }
        if (len == 0) {
            return 0;
        }
        try {
            int n = file.read(b, position, off, len);
            if (n <= 0) {
                return -1;
            }
            position += n;
            return n;
        } catch (RuntimeException e) {
            throw new IOException(SmbLocation.failure(key, e).getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            file.closeNoWait();
        }
    }
}
