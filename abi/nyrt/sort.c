/* sort.c -- ArrayBox.sort() (language.md 7.5): CPython 3.11's list.sort, step for step.
 *
 * The spec defines the result as Python's `list.sort(key=cmp_to_key(cmp))`. The comparison is not a total
 * order (NaN compares equal to everything; numbers compare numerically with each other but by display with
 * strings, so 10 < "9" < 9.5 < 10), and with such a comparison the result depends on exactly which pairs
 * the algorithm compares. So this is a faithful port of CPython 3.11's timsort (Objects/listobject.c: runs,
 * binary insertion, the powersort merge policy, galloping merges), making the same comparisons in the same
 * order. Displays of non-numeric elements are computed once up front, as containers.py does.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct item {
    nyrt_nyash_value v;
    const nyrt_str *d;      /* display of a non-numeric element; NULL for Int and Float */
} item;

/* ---- the comparison: cmp(x, y) < 0 ------------------------------------------------------------------------ */
static size_t number_text(const nyrt_nyash_value *v, char out[NYRT_FLOAT_TEXT]) {
    if (nyrt_kind_of(v) == NYRT_TID_INTEGER)
        return (size_t)snprintf(out, NYRT_FLOAT_TEXT, "%lld", (long long)(int64_t)v->box_handle);
    return nyrt_disp_float(nyrt_val_as_float_raw(v), out);
}

static int text_less(const char *a, size_t na, const char *b, size_t nb) {
    int c = memcmp(a, b, na < nb ? na : nb);    /* UTF-8 byte order is code point order */
    return c < 0 || (c == 0 && na < nb);
}

static int lt(const item *x, const item *y) {
    if (!x->d && !y->d) {
        int xi = nyrt_kind_of(&x->v) == NYRT_TID_INTEGER, yi = nyrt_kind_of(&y->v) == NYRT_TID_INTEGER;
        if (xi && yi)
            return (int64_t)x->v.box_handle < (int64_t)y->v.box_handle;
        double a = xi ? (double)(int64_t)x->v.box_handle : nyrt_val_as_float_raw(&x->v);
        double b = yi ? (double)(int64_t)y->v.box_handle : nyrt_val_as_float_raw(&y->v);
        return a < b;
    }
    char tx[NYRT_FLOAT_TEXT], ty[NYRT_FLOAT_TEXT];
    const char *a = x->d ? x->d->bytes : tx, *b = y->d ? y->d->bytes : ty;
    size_t na = x->d ? x->d->len : number_text(&x->v, tx), nb = y->d ? y->d->len : number_text(&y->v, ty);
    return text_less(a, na, b, nb);
}

/* ---- merge state ------------------------------------------------------------------------------------------ */
#define MIN_GALLOP 7
#define MAX_PENDING 64

typedef struct run {
    item *base;
    size_t len;
    int power;
} run;

typedef struct merge_state {
    size_t min_gallop;
    size_t listlen;
    item *basekeys;
    item *tmp;          /* temp storage for merges */
    size_t tmp_cap;
    int oom;
    int n;
    run pending[MAX_PENDING];
} merge_state;

static int getmem(merge_state *ms, size_t need) {
    if (need <= ms->tmp_cap)
        return 1;
    nyrt_mem_free(ms->tmp, ms->tmp_cap * sizeof(item));
    ms->tmp_cap = 0;
    ms->tmp = nyrt_mem_alloc(need * sizeof(item));
    if (!ms->tmp) {
        ms->oom = 1;
        return 0;
    }
    ms->tmp_cap = need;
    return 1;
}

static void reverse_items(item *lo, item *hi) {
    for (--hi; lo < hi; lo++, hi--) {
        item t = *lo;
        *lo = *hi;
        *hi = t;
    }
}

/* ---- runs and binary insertion -------------------------------------------------------------------------- */
static void binarysort(item *lo, item *hi, item *start) {
    if (lo == start)
        ++start;
    for (; start < hi; ++start) {
        item *l = lo, *r = start, pivot = *r;
        do {
            item *p = l + ((r - l) >> 1);
            if (lt(&pivot, p))
                r = p;
            else
                l = p + 1;
        } while (l < r);
        memmove(l + 1, l, (size_t)(start - l) * sizeof(item));
        *l = pivot;
    }
}

/* Length of the run at lo (strictly descending runs are reported through *descending). */
static size_t count_run(item *lo, item *hi, int *descending) {
    size_t n = 2;
    *descending = 0;
    ++lo;
    if (lo == hi)
        return 1;
    if (lt(lo, lo - 1)) {
        *descending = 1;
        for (lo = lo + 1; lo < hi; ++lo, ++n)
            if (!lt(lo, lo - 1))
                break;
    } else {
        for (lo = lo + 1; lo < hi; ++lo, ++n)
            if (lt(lo, lo - 1))
                break;
    }
    return n;
}

/* ---- galloping ---------------------------------------------------------------------------------------------- */
/* k such that a[k-1] < key <= a[k] */
static size_t gallop_left(const item *key, const item *a, size_t n, size_t hint) {
    size_t ofs = 1, lastofs = 0, k;
    if (lt(&a[hint], key)) {
        size_t maxofs = n - hint;
        while (ofs < maxofs && lt(&a[hint + ofs], key)) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs)
            ofs = maxofs;
        lastofs += hint;
        ofs += hint;
    } else {
        size_t maxofs = hint + 1;
        while (ofs < maxofs && !lt(&a[hint - ofs], key)) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs)
            ofs = maxofs;
        k = lastofs;
        lastofs = hint - ofs;   /* may wrap to "-1": the +1 below brings it back */
        ofs = hint - k;
    }
    ++lastofs;
    while (lastofs < ofs) {
        size_t m = lastofs + ((ofs - lastofs) >> 1);
        if (lt(&a[m], key))
            lastofs = m + 1;
        else
            ofs = m;
    }
    return ofs;
}

/* k such that a[k-1] <= key < a[k] */
static size_t gallop_right(const item *key, const item *a, size_t n, size_t hint) {
    size_t ofs = 1, lastofs = 0, k;
    if (lt(key, &a[hint])) {
        size_t maxofs = hint + 1;
        while (ofs < maxofs && lt(key, &a[hint - ofs])) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs)
            ofs = maxofs;
        k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    } else {
        size_t maxofs = n - hint;
        while (ofs < maxofs && !lt(key, &a[hint + ofs])) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs)
            ofs = maxofs;
        lastofs += hint;
        ofs += hint;
    }
    ++lastofs;
    while (lastofs < ofs) {
        size_t m = lastofs + ((ofs - lastofs) >> 1);
        if (lt(key, &a[m]))
            ofs = m;
        else
            lastofs = m + 1;
    }
    return ofs;
}

/* ---- merging two adjacent runs -------------------------------------------------------------------------- */
/* Merge a[0:na] and a[na:na+nb] with na <= nb, in place; a[na-1] belongs at the end of the merge. */
static int merge_lo(merge_state *ms, item *a, size_t na, size_t nb) {
    if (!getmem(ms, na))
        return 0;
    memcpy(ms->tmp, a, na * sizeof(item));
    item *dest = a, *pa = ms->tmp, *pb = a + na;
    size_t min_gallop, k;
    *dest++ = *pb++;
    if (--nb == 0)
        goto succeed;
    if (na == 1)
        goto copy_b;
    min_gallop = ms->min_gallop;
    for (;;) {
        size_t acount = 0, bcount = 0;      /* times A / B won in a row */
        for (;;) {
            if (lt(pb, pa)) {
                *dest++ = *pb++;
                ++bcount;
                acount = 0;
                if (--nb == 0)
                    goto succeed;
                if (bcount >= min_gallop)
                    break;
            } else {
                *dest++ = *pa++;
                ++acount;
                bcount = 0;
                if (--na == 1)
                    goto copy_b;
                if (acount >= min_gallop)
                    break;
            }
        }
        ++min_gallop;
        do {    /* galloping: one run wins so consistently that searching beats stepping */
            min_gallop -= min_gallop > 1;
            ms->min_gallop = min_gallop;
            acount = k = gallop_right(pb, pa, na, 0);
            if (k) {
                memcpy(dest, pa, k * sizeof(item));
                dest += k;
                pa += k;
                na -= k;
                if (na == 1)
                    goto copy_b;
                if (na == 0)   /* impossible for a consistent comparison, which this is not */
                    goto succeed;
            }
            *dest++ = *pb++;
            if (--nb == 0)
                goto succeed;
            bcount = k = gallop_left(pa, pb, nb, 0);
            if (k) {
                memmove(dest, pb, k * sizeof(item));
                dest += k;
                pb += k;
                nb -= k;
                if (nb == 0)
                    goto succeed;
            }
            *dest++ = *pa++;
            if (--na == 1)
                goto copy_b;
        } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
        ++min_gallop;   /* penalize leaving galloping mode */
        ms->min_gallop = min_gallop;
    }
succeed:
    if (na)
        memcpy(dest, pa, na * sizeof(item));
    return 1;
copy_b:     /* the last element of A belongs at the end of the merge */
    memmove(dest, pb, nb * sizeof(item));
    dest[nb] = *pa;
    return 1;
}

/* Merge a[0:na] and a[na:na+nb] with na > nb, from the right. Indices are signed: they may reach -1. */
static int merge_hi(merge_state *ms, item *a, size_t na, size_t nb) {
    if (!getmem(ms, nb))
        return 0;
    item *tmp = ms->tmp;
    memcpy(tmp, a + na, nb * sizeof(item));
    ptrdiff_t d = (ptrdiff_t)(na + nb) - 1, ia = (ptrdiff_t)na - 1, ib = (ptrdiff_t)nb - 1;
    size_t min_gallop, k;
    a[d--] = a[ia--];
    if (--na == 0)
        goto succeed;
    if (nb == 1)
        goto copy_a;
    min_gallop = ms->min_gallop;
    for (;;) {
        size_t acount = 0, bcount = 0;
        for (;;) {
            if (lt(&tmp[ib], &a[ia])) {
                a[d--] = a[ia--];
                ++acount;
                bcount = 0;
                if (--na == 0)
                    goto succeed;
                if (acount >= min_gallop)
                    break;
            } else {
                a[d--] = tmp[ib--];
                ++bcount;
                acount = 0;
                if (--nb == 1)
                    goto copy_a;
                if (bcount >= min_gallop)
                    break;
            }
        }
        ++min_gallop;
        do {
            min_gallop -= min_gallop > 1;
            ms->min_gallop = min_gallop;
            acount = k = na - gallop_right(&tmp[ib], a, na, na - 1);
            if (k) {
                d -= (ptrdiff_t)k;
                ia -= (ptrdiff_t)k;
                memmove(&a[d + 1], &a[ia + 1], k * sizeof(item));
                na -= k;
                if (na == 0)
                    goto succeed;
            }
            a[d--] = tmp[ib--];
            if (--nb == 1)
                goto copy_a;
            bcount = k = nb - gallop_left(&a[ia], tmp, nb, nb - 1);
            if (k) {
                d -= (ptrdiff_t)k;
                ib -= (ptrdiff_t)k;
                memcpy(&a[d + 1], &tmp[ib + 1], k * sizeof(item));
                nb -= k;
                if (nb == 1)
                    goto copy_a;
                if (nb == 0)
                    goto succeed;
            }
            a[d--] = a[ia--];
            if (--na == 0)
                goto succeed;
        } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
        ++min_gallop;
        ms->min_gallop = min_gallop;
    }
succeed:
    if (nb)
        memcpy(&a[d - (ptrdiff_t)(nb - 1)], tmp, nb * sizeof(item));
    return 1;
copy_a:     /* the first element of B belongs at the front of the merge */
    memmove(&a[d + 1 - (ptrdiff_t)na], &a[ia + 1 - (ptrdiff_t)na], na * sizeof(item));
    d -= (ptrdiff_t)na;
    a[d] = tmp[ib];
    return 1;
}

/* Merge the runs at stack indices i and i+1. */
static int merge_at(merge_state *ms, int i) {
    item *a = ms->pending[i].base, *b = ms->pending[i + 1].base;
    size_t na = ms->pending[i].len, nb = ms->pending[i + 1].len;
    ms->pending[i].len = na + nb;
    if (i == ms->n - 3)
        ms->pending[i + 1] = ms->pending[i + 2];
    --ms->n;
    size_t k = gallop_right(b, a, na, 0);   /* elements of A before B's first are already in place */
    a += k;
    na -= k;
    if (na == 0)
        return 1;
    nb = gallop_left(&a[na - 1], b, nb, nb - 1);   /* and B's after A's last */
    if (nb == 0)
        return 1;
    return na <= nb ? merge_lo(ms, a, na, nb) : merge_hi(ms, a, na, nb);
}

/* ---- the powersort merge policy ---------------------------------------------------------------------------- */
static int powerloop(size_t s1, size_t n1, size_t n2, size_t n) {
    int result = 0;
    size_t a = 2 * s1 + n1, b = a + n1 + n2;    /* twice the midpoints of the two runs */
    for (;;) {
        ++result;
        if (a >= n) {
            a -= n;
            b -= n;
        } else if (b >= n) {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    return result;
}

static int found_new_run(merge_state *ms, size_t n2) {
    if (ms->n) {
        run *p = ms->pending;
        size_t s1 = (size_t)(p[ms->n - 1].base - ms->basekeys), n1 = p[ms->n - 1].len;
        int power = powerloop(s1, n1, n2, ms->listlen);
        while (ms->n > 1 && p[ms->n - 2].power > power)
            if (!merge_at(ms, ms->n - 2))
                return 0;
        p[ms->n - 1].power = power;
    }
    return 1;
}

static int force_collapse(merge_state *ms) {
    run *p = ms->pending;
    while (ms->n > 1) {
        int n = ms->n - 2;
        if (n > 0 && p[n - 1].len < p[n + 1].len)
            --n;
        if (!merge_at(ms, n))
            return 0;
    }
    return 1;
}

static size_t compute_minrun(size_t n) {
    size_t r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

/* CPython's list_sort_impl main loop over an item array. 0 on out of memory (items then hold some
 * permutation of the input, as in CPython). */
static int timsort(item *items, size_t n) {
    merge_state ms;
    ms.min_gallop = MIN_GALLOP;
    ms.listlen = n;
    ms.basekeys = items;
    ms.tmp = NULL;
    ms.tmp_cap = 0;
    ms.oom = 0;
    ms.n = 0;
    int ok = 1;
    if (n >= 2) {
        size_t minrun = compute_minrun(n), remaining = n;
        item *lo = items;
        while (remaining && ok) {
            int descending;
            size_t len = count_run(lo, lo + remaining, &descending);
            if (descending)
                reverse_items(lo, lo + len);
            if (len < minrun) {
                size_t force = remaining <= minrun ? remaining : minrun;
                binarysort(lo, lo + force, lo + len);
                len = force;
            }
            ok = found_new_run(&ms, len);
            ms.pending[ms.n].base = lo;
            ms.pending[ms.n].len = len;
            ++ms.n;
            lo += len;
            remaining -= len;
        }
        ok = ok && force_collapse(&ms);
    }
    nyrt_mem_free(ms.tmp, ms.tmp_cap * sizeof(item));
    return ok;
}

/* ---- ArrayBox.sort ---------------------------------------------------------------------------------------- */
int32_t nyrt_arr_sort(nyrt_nyash_value *values, size_t n) {
    if (n < 2)
        return 1;
    if (n > SIZE_MAX / sizeof(item))
        return 0;
    item *items = nyrt_mem_alloc(n * sizeof(item));
    if (!items)
        return 0;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        int32_t k = nyrt_kind_of(&values[i]);
        items[i].v = values[i];
        items[i].d = NULL;
        if (k != NYRT_TID_INTEGER && k != NYRT_TID_FLOAT && ok && !(items[i].d = nyrt_disp_str(&values[i])))
            ok = 0;
    }
    if (ok && (ok = timsort(items, n)) != 0)
        for (size_t i = 0; i < n; i++)
            values[i] = items[i].v;
    for (size_t i = 0; i < n; i++)
        if (items[i].d)
            nyrt_obj_release((nyrt_obj *)&items[i].d->h);
    nyrt_mem_free(items, n * sizeof(item));
    return ok;
}
