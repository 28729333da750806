/* box_methods: the C twin of box_methods.ny (size N: particle steps). Vec2 values live on the heap and are
   freed when replaced, as `new` allocates in Nyash; step() dispatches through a function pointer, as the
   Spinner override does. Build: cc -O2 -ffp-contract=off box_methods.c */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { int64_t x, y; } Vec2;

typedef struct Particle {
    Vec2 *pos, *vel;
    int64_t hits;
    int64_t (*step)(struct Particle *);
} Particle;

static Vec2 *vec2_new(int64_t x, int64_t y) {
    Vec2 *v = malloc(sizeof *v);
    if (!v) exit(1);
    v->x = x;
    v->y = y;
    return v;
}

static Vec2 *vec2_add(const Vec2 *a, const Vec2 *o) {
    return vec2_new((a->x + o->x) % 10007, (a->y + o->y) % 10007);
}

static int64_t vec2_dot(const Vec2 *a, const Vec2 *o) { return a->x * o->x + a->y * o->y; }

static int64_t particle_step(Particle *p) {
    Vec2 *next = vec2_add(p->pos, p->vel);
    free(p->pos);
    p->pos = next;
    if (p->pos->x % 2 == 0) p->hits++;
    return vec2_dot(p->pos, p->vel) % 1009;
}

static int64_t spinner_step(Particle *p) {
    Vec2 *turned = vec2_new(p->vel->y, p->vel->x);
    free(p->vel);
    p->vel = turned;
    return particle_step(p) + 1;
}

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 3000;
    Particle parts[8];
    for (int64_t k = 0; k < 8; k++) {
        parts[k].pos = vec2_new(k, k * 3);
        parts[k].vel = vec2_new(k + 1, 7 - k);
        parts[k].hits = 0;
        parts[k].step = k % 2 == 0 ? particle_step : spinner_step;
    }
    int64_t acc = 0;
    for (int64_t i = 0; i < n; i++) {
        Particle *p = &parts[i % 8];
        acc = (acc + p->step(p)) % 1000003;
    }
    int64_t hits = 0, spread = 0;
    for (int k = 0; k < 8; k++) {
        hits += parts[k].hits;
        spread += parts[k].pos->x * 3 + parts[k].pos->y;
        free(parts[k].pos);
        free(parts[k].vel);
    }
    printf("box_methods(%" PRId64 ") = %" PRId64 " %" PRId64 " %" PRId64 "\n", n, acc, hits, spread);
    return 0;
}
