/* nl80211 client over libnl-genl-3, loaded on first use (see nl80211.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/nl80211.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "hq/dlopen.h"
#include "lib/nl80211.h"

/* libnl-3 and libnl-genl-3 are loaded with dlopen() on first use (hq/dlopen.h): only the wifi
 * tables need them, and the shell should not map them at every start. */
static void *libnl_dl, *libnl_genl_dl;
static pthread_once_t libnl_once = PTHREAD_ONCE_INIT;
static int libnl_result;

static typeof(nl_socket_alloc) *sym_nl_socket_alloc;
static typeof(nl_socket_free) *sym_nl_socket_free;
static typeof(nl_cb_alloc) *sym_nl_cb_alloc;
static typeof(nl_cb_put) *sym_nl_cb_put;
static typeof(nl_cb_err) *sym_nl_cb_err;
static typeof(nl_cb_set) *sym_nl_cb_set;
static typeof(nl_send_auto) *sym_nl_send_auto;
static typeof(nl_recvmsgs) *sym_nl_recvmsgs;
static typeof(nlmsg_alloc) *sym_nlmsg_alloc;
static typeof(nlmsg_free) *sym_nlmsg_free;
static typeof(nlmsg_data) *sym_nlmsg_data;
static typeof(nlmsg_hdr) *sym_nlmsg_hdr;
static typeof(nla_put) *sym_nla_put;
static typeof(nla_put_u32) *sym_nla_put_u32;
static typeof(nla_parse) *sym_nla_parse;
static typeof(nla_parse_nested) *sym_nla_parse_nested;
static typeof(nla_data) *sym_nla_data;
static typeof(nla_len) *sym_nla_len;
static typeof(nla_get_u8) *sym_nla_get_u8;
static typeof(nla_get_u16) *sym_nla_get_u16;
static typeof(nla_get_u32) *sym_nla_get_u32;
static typeof(genl_connect) *sym_genl_connect;
static typeof(genl_ctrl_resolve) *sym_genl_ctrl_resolve;
static typeof(genlmsg_attrdata) *sym_genlmsg_attrdata;
static typeof(genlmsg_attrlen) *sym_genlmsg_attrlen;
static typeof(genlmsg_put) *sym_genlmsg_put;

static void libnl_load(void)
{
	libnl_result = hq_dlopen_many_sym(
		&libnl_dl, "libnl-3.so.200", HQ_DLSYM_ARG(nl_socket_alloc),
		HQ_DLSYM_ARG(nl_socket_free), HQ_DLSYM_ARG(nl_cb_alloc), HQ_DLSYM_ARG(nl_cb_put),
		HQ_DLSYM_ARG(nl_cb_err), HQ_DLSYM_ARG(nl_cb_set), HQ_DLSYM_ARG(nl_send_auto),
		HQ_DLSYM_ARG(nl_recvmsgs), HQ_DLSYM_ARG(nlmsg_alloc), HQ_DLSYM_ARG(nlmsg_free),
		HQ_DLSYM_ARG(nlmsg_data), HQ_DLSYM_ARG(nlmsg_hdr), HQ_DLSYM_ARG(nla_put),
		HQ_DLSYM_ARG(nla_put_u32), HQ_DLSYM_ARG(nla_parse), HQ_DLSYM_ARG(nla_parse_nested),
		HQ_DLSYM_ARG(nla_data), HQ_DLSYM_ARG(nla_len), HQ_DLSYM_ARG(nla_get_u8),
		HQ_DLSYM_ARG(nla_get_u16), HQ_DLSYM_ARG(nla_get_u32), NULL);
	if (libnl_result >= 0)
		libnl_result = hq_dlopen_many_sym(
			&libnl_genl_dl, "libnl-genl-3.so.200", HQ_DLSYM_ARG(genl_connect),
			HQ_DLSYM_ARG(genl_ctrl_resolve), HQ_DLSYM_ARG(genlmsg_attrdata),
			HQ_DLSYM_ARG(genlmsg_attrlen), HQ_DLSYM_ARG(genlmsg_put), NULL);
}

int hq_nl80211_load(void)
{
	(void)pthread_once(&libnl_once, libnl_load);
	return libnl_result;
}

struct hq_nl80211 {
	struct nl_sock *sock;
	int family;
};

/* libnl's own error codes, for the few that reach us, as errno values. */
static int nlerr_to_errno(int e)
{
	switch (e < 0 ? -e : e) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
	case NLE_PROTO_MISMATCH:
		return -EAFNOSUPPORT;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_INVAL:
		return -EINVAL;
	default:
		return -EIO;
	}
}

hq_nl80211 *hq_nl80211_close(hq_nl80211 *nl)
{
	if (!nl)
		return NULL;
	if (nl->sock)
		sym_nl_socket_free(nl->sock);
	free(nl);
	return NULL;
}

int hq_nl80211_open(hq_nl80211 **ret)
{
	_cleanup_(hq_nl80211_closep) hq_nl80211 *nl = NULL;
	int r;

	r = hq_nl80211_load();
	if (r < 0)
		return r;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sock = sym_nl_socket_alloc();
	if (!nl->sock)
		return -ENOMEM;
	r = sym_genl_connect(nl->sock);
	if (r < 0)
		return nlerr_to_errno(r);
	r = sym_genl_ctrl_resolve(nl->sock, "nl80211");
	if (r < 0)
		return -ENOENT; /* no such family: this kernel has no cfg80211 */
	nl->family = r;
	*ret = TAKE_PTR(nl);
	return 0;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	*(int *)arg = e->error < 0 ? e->error : -EIO;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	*(int *)arg = 0;
	return NL_SKIP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	*(int *)arg = 0;
	return NL_STOP;
}

/* Sends one request and feeds every reply to valid(). Returns 0 or -errno (the kernel's error
 * for the request, or the transport's). */
static int transact(hq_nl80211 *nl, uint8_t cmd, int flags, uint32_t ifindex, const uint8_t *mac,
		    int (*valid)(struct nl_msg *, void *), void *arg)
{
	struct nl_msg *msg = NULL;
	struct nl_cb *cb = NULL;
	int r, status = 1;

	msg = sym_nlmsg_alloc();
	cb = sym_nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb) {
		r = -ENOMEM;
		goto out;
	}
	if (!sym_genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags, cmd, 0)) {
		r = -ENOMEM;
		goto out;
	}
	if ((ifindex > 0 && sym_nla_put_u32(msg, NL80211_ATTR_IFINDEX, ifindex) < 0) ||
	    (mac && sym_nla_put(msg, NL80211_ATTR_MAC, 6, mac) < 0)) {
		r = -ENOMEM;
		goto out;
	}

	sym_nl_cb_err(cb, NL_CB_CUSTOM, on_error, &status);
	sym_nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &status);
	sym_nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &status);
	sym_nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, arg);

	r = sym_nl_send_auto(nl->sock, msg);
	if (r < 0) {
		r = nlerr_to_errno(r);
		goto out;
	}
	while (status > 0) {
		r = sym_nl_recvmsgs(nl->sock, cb);
		if (r < 0) {
			/* The handlers stop with NL_STOP on errors; keep the kernel's code. */
			if (status > 0)
				status = nlerr_to_errno(r);
			break;
		}
	}
	r = status;
out:
	sym_nlmsg_free(msg);
	sym_nl_cb_put(cb);
	return r;
}

static int parse_attrs(struct nl_msg *msg, struct nlattr **tb)
{
	struct genlmsghdr *gnlh = sym_nlmsg_data(sym_nlmsg_hdr(msg));
	return sym_nla_parse(tb, NL80211_ATTR_MAX, sym_genlmsg_attrdata(gnlh, 0),
			     sym_genlmsg_attrlen(gnlh, 0), NULL);
}

/* Grows an array by one zeroed element. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t elem)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *t = realloc(*arr, ncap * elem);
		if (!t)
			return NULL;
		*arr = t;
		*cap = ncap;
	}
	void *p = (char *)*arr + *n * elem;
	memset(p, 0, elem);
	(*n)++;
	return p;
}

static int width_to_mhz(uint32_t w)
{
	switch (w) {
	case NL80211_CHAN_WIDTH_20_NOHT:
	case NL80211_CHAN_WIDTH_20:
		return 20;
	case NL80211_CHAN_WIDTH_40:
		return 40;
	case NL80211_CHAN_WIDTH_80:
		return 80;
	case NL80211_CHAN_WIDTH_80P80:
	case NL80211_CHAN_WIDTH_160:
		return 160;
	case NL80211_CHAN_WIDTH_5:
		return 5;
	case NL80211_CHAN_WIDTH_10:
		return 10;
	default:
		return -1;
	}
}

typedef struct collect {
	void *arr;
	size_t n, cap;
	int error;
} collect;

static int on_interface(struct nl_msg *msg, void *arg)
{
	collect *c = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1];
	hq_nl80211_iface *i;

	if (parse_attrs(msg, tb) < 0 || !tb[NL80211_ATTR_IFINDEX])
		return NL_SKIP;
	i = grow(&c->arr, &c->n, &c->cap, sizeof(*i));
	if (!i) {
		c->error = -ENOMEM;
		return NL_STOP;
	}
	i->ifindex = sym_nla_get_u32(tb[NL80211_ATTR_IFINDEX]);
	i->iftype = tb[NL80211_ATTR_IFTYPE] ? (int)sym_nla_get_u32(tb[NL80211_ATTR_IFTYPE]) : -1;
	i->width_mhz = tb[NL80211_ATTR_CHANNEL_WIDTH]
			       ? width_to_mhz(sym_nla_get_u32(tb[NL80211_ATTR_CHANNEL_WIDTH]))
			       : -1;
	if (tb[NL80211_ATTR_WIPHY_FREQ])
		i->freq = sym_nla_get_u32(tb[NL80211_ATTR_WIPHY_FREQ]);
	if (tb[NL80211_ATTR_IFNAME]) {
		int len = sym_nla_len(tb[NL80211_ATTR_IFNAME]);
		if (len > IF_NAMESIZE)
			len = IF_NAMESIZE;
		memcpy(i->name, sym_nla_data(tb[NL80211_ATTR_IFNAME]), (size_t)len);
		i->name[len] = 0;
	}
	if (tb[NL80211_ATTR_SSID] && sym_nla_len(tb[NL80211_ATTR_SSID]) <= 32) {
		i->ssid_len = (size_t)sym_nla_len(tb[NL80211_ATTR_SSID]);
		memcpy(i->ssid, sym_nla_data(tb[NL80211_ATTR_SSID]), i->ssid_len);
		i->has_ssid = true;
	}
	return NL_SKIP;
}

int hq_nl80211_interfaces(hq_nl80211 *nl, hq_nl80211_iface **ret, size_t *ret_n)
{
	collect c = {};
	int r;

	r = transact(nl, NL80211_CMD_GET_INTERFACE, NLM_F_DUMP, 0, NULL, on_interface, &c);
	if (r >= 0 && c.error < 0)
		r = c.error;
	if (r < 0) {
		free(c.arr);
		return r;
	}
	*ret = c.arr;
	*ret_n = c.n;
	return 0;
}

void hq_nl80211_bss_free(hq_nl80211_bss *bss, size_t n)
{
	for (size_t i = 0; bss && i < n; i++)
		free(bss[i].ies);
	free(bss);
}

static int on_bss(struct nl_msg *msg, void *arg)
{
	collect *c = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1], *bss[NL80211_BSS_MAX + 1], *ie;
	hq_nl80211_bss *b;

	if (parse_attrs(msg, tb) < 0 || !tb[NL80211_ATTR_BSS])
		return NL_SKIP;
	if (sym_nla_parse_nested(bss, NL80211_BSS_MAX, tb[NL80211_ATTR_BSS], NULL) < 0)
		return NL_SKIP;
	if (!bss[NL80211_BSS_BSSID] || sym_nla_len(bss[NL80211_BSS_BSSID]) != 6)
		return NL_SKIP;
	b = grow(&c->arr, &c->n, &c->cap, sizeof(*b));
	if (!b) {
		c->error = -ENOMEM;
		return NL_STOP;
	}
	memcpy(b->bssid, sym_nla_data(bss[NL80211_BSS_BSSID]), 6);
	if (bss[NL80211_BSS_FREQUENCY])
		b->freq = sym_nla_get_u32(bss[NL80211_BSS_FREQUENCY]);
	if (bss[NL80211_BSS_SIGNAL_MBM]) {
		b->signal_mbm = (int32_t)sym_nla_get_u32(bss[NL80211_BSS_SIGNAL_MBM]);
		b->has_signal = true;
	}
	if (bss[NL80211_BSS_STATUS])
		b->associated =
			sym_nla_get_u32(bss[NL80211_BSS_STATUS]) == NL80211_BSS_STATUS_ASSOCIATED;
	if (bss[NL80211_BSS_CAPABILITY])
		b->capability = sym_nla_get_u16(bss[NL80211_BSS_CAPABILITY]);
	/* Probe response elements first, beacon elements when that is all there is. */
	ie = bss[NL80211_BSS_INFORMATION_ELEMENTS] ?: bss[NL80211_BSS_BEACON_IES];
	if (ie && sym_nla_len(ie) > 0) {
		b->ies = malloc((size_t)sym_nla_len(ie));
		if (!b->ies) {
			c->error = -ENOMEM;
			return NL_STOP;
		}
		memcpy(b->ies, sym_nla_data(ie), (size_t)sym_nla_len(ie));
		b->ies_len = (size_t)sym_nla_len(ie);
	}
	return NL_SKIP;
}

int hq_nl80211_scan_dump(hq_nl80211 *nl, uint32_t ifindex, hq_nl80211_bss **ret, size_t *ret_n)
{
	collect c = {};
	int r;

	r = transact(nl, NL80211_CMD_GET_SCAN, NLM_F_DUMP, ifindex, NULL, on_bss, &c);
	if (r >= 0 && c.error < 0)
		r = c.error;
	if (r < 0) {
		hq_nl80211_bss_free(c.arr, c.n);
		return r;
	}
	*ret = c.arr;
	*ret_n = c.n;
	return 0;
}

static int on_station(struct nl_msg *msg, void *arg)
{
	hq_nl80211_station *s = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1], *sta[NL80211_STA_INFO_MAX + 1],
		*rate[NL80211_RATE_INFO_MAX + 1];

	if (parse_attrs(msg, tb) < 0 || !tb[NL80211_ATTR_STA_INFO])
		return NL_SKIP;
	if (sym_nla_parse_nested(sta, NL80211_STA_INFO_MAX, tb[NL80211_ATTR_STA_INFO], NULL) < 0)
		return NL_SKIP;
	if (sta[NL80211_STA_INFO_SIGNAL]) {
		s->signal_dbm = (int8_t)sym_nla_get_u8(sta[NL80211_STA_INFO_SIGNAL]);
		s->has_signal = true;
	}
	if (sta[NL80211_STA_INFO_TX_BITRATE] &&
	    sym_nla_parse_nested(rate, NL80211_RATE_INFO_MAX, sta[NL80211_STA_INFO_TX_BITRATE],
				 NULL) >= 0) {
		if (rate[NL80211_RATE_INFO_BITRATE32]) {
			s->tx_bitrate = sym_nla_get_u32(rate[NL80211_RATE_INFO_BITRATE32]);
			s->has_tx_bitrate = true;
		} else if (rate[NL80211_RATE_INFO_BITRATE]) {
			s->tx_bitrate = sym_nla_get_u16(rate[NL80211_RATE_INFO_BITRATE]);
			s->has_tx_bitrate = true;
		}
	}
	return NL_SKIP;
}

int hq_nl80211_station_get(hq_nl80211 *nl, uint32_t ifindex, const uint8_t mac[6],
			   hq_nl80211_station *ret)
{
	hq_nl80211_station s = {};
	int r;

	r = transact(nl, NL80211_CMD_GET_STATION, 0, ifindex, mac, on_station, &s);
	if (r < 0)
		return r;
	*ret = s;
	return 0;
}

static int on_survey(struct nl_msg *msg, void *arg)
{
	collect *c = arg;
	struct nlattr *tb[NL80211_ATTR_MAX + 1], *sv[NL80211_SURVEY_INFO_MAX + 1];
	hq_nl80211_survey *s;

	if (parse_attrs(msg, tb) < 0 || !tb[NL80211_ATTR_SURVEY_INFO])
		return NL_SKIP;
	if (sym_nla_parse_nested(sv, NL80211_SURVEY_INFO_MAX, tb[NL80211_ATTR_SURVEY_INFO], NULL) <
		    0 ||
	    !sv[NL80211_SURVEY_INFO_FREQUENCY])
		return NL_SKIP;
	s = grow(&c->arr, &c->n, &c->cap, sizeof(*s));
	if (!s) {
		c->error = -ENOMEM;
		return NL_STOP;
	}
	s->freq = sym_nla_get_u32(sv[NL80211_SURVEY_INFO_FREQUENCY]);
	if (sv[NL80211_SURVEY_INFO_NOISE]) {
		s->noise_dbm = (int8_t)sym_nla_get_u8(sv[NL80211_SURVEY_INFO_NOISE]);
		s->has_noise = true;
	}
	s->in_use = sv[NL80211_SURVEY_INFO_IN_USE] != NULL;
	return NL_SKIP;
}

int hq_nl80211_surveys(hq_nl80211 *nl, uint32_t ifindex, hq_nl80211_survey **ret, size_t *ret_n)
{
	collect c = {};
	int r;

	r = transact(nl, NL80211_CMD_GET_SURVEY, NLM_F_DUMP, ifindex, NULL, on_survey, &c);
	if (r >= 0 && c.error < 0)
		r = c.error;
	if (r < 0) {
		free(c.arr);
		return r;
	}
	*ret = c.arr;
	*ret_n = c.n;
	return 0;
}
