package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartBuffersTest {

    @Test
    void keepOnlyTheirSizeAndNoMoreThanAsked() {
        PartBuffers buffers = new PartBuffers(1024, 2);
        byte[] a = buffers.take();
        byte[] b = buffers.take();
        byte[] c = buffers.take();
        assertThat(a).hasSize(1024);
        buffers.give(a);
        buffers.give(b);
        buffers.give(c);
        buffers.give(new byte[10]);
        assertThat(buffers.idle()).isEqualTo(2);
        assertThat(buffers.take()).isIn(a, b);
        assertThat(buffers.idle()).isEqualTo(1);
    }
}
