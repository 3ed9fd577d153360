"""Readable tables for the console (the page draws its own)."""

from __future__ import annotations


def table(headers: list[str], rows: list[list]) -> str:
    def width(s) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(s))

    widths = [max(width(h), *(width(r[i]) for r in rows)) if rows else width(h) for i, h in enumerate(headers)]

    def pad(c, w, left):
        extra = w - width(c)
        return (str(c) + " " * extra) if left else (" " * extra + str(c))

    lines = ["  ".join(pad(h, w, i == 0) for i, (h, w) in enumerate(zip(headers, widths)))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(pad(c, w, i == 0) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(lines)


def simulation_text(res: dict) -> str:
    o = res["overall"]
    out = [f"{res['scenario']} · layout {res['layout']} · policy {res['policy']} · seed {res['seed']}"
           f" · {res['replications']} day(s) · {res['windows_count']} windows"]
    head = ["领域 domain", "到达 arrived", "办理 served", "过号 no-show", "未叫 unserved", "平均 mean", "p50", "p90",
            "最长 max"]
    rows = [[f"{d['name']}", d["arrived"], d["served"], d["no_show"], d["unserved"], d["mean"], d["p50"], d["p90"],
             d["max"]] for d in res["domains"]]
    rows.append(["合计 overall", o["arrived"], o["served"], o["no_show"], o["unserved"], o["mean"], o["p50"], o["p90"],
                 o["max"]])
    out += ["", "等候（分钟）waits in minutes", table(head, rows)]
    out += ["", "按取号小时 by hour of issue",
            table(["时 hour", "人次 n", "平均 mean", "p90", "最长 max"],
                  [[f"{h['hour']:02d}:00", h["n"], h["mean"], h["p90"], h["max"]] for h in res["hours"]])]
    out += ["", "窗口利用率 utilisation per window",
            table(["窗口 window", "组 group", "办理 served", "利用率 util"],
                  [[w["label"], w["group"], w["served"], f"{100 * w['utilisation']:.0f}%"] for w in res["windows"]])]
    q = res["queue"]
    peak = max(q["total"]) if q["total"] else 0
    at = q["clock"][q["total"].index(peak)] if q["total"] else "-"
    out += ["", f"排队人数峰值 peak queue {peak} at {at}; 闭馆未叫号 unserved at closing {res['unserved_at_close']}"]
    return "\n".join(out)


def comparison_text(res: dict) -> str:
    head = ["方案 layout", "窗口 windows", "平均 mean", "p50", "p90", "最长 max", "未叫 unserved", "利用率 util",
            "较改革前 vs before"]
    rows = [[f"{v['label']} / {v['label_en']}", v["windows_count"], v["overall"]["mean"], v["overall"]["p50"],
             v["overall"]["p90"], v["overall"]["max"], v["overall"]["unserved"],
             f"{100 * v['mean_utilisation']:.0f}%",
             f"{-v['reduction_pct']:+.1f}%" if i else "—"]
            for i, v in enumerate(res["variants"])]
    return (f"{res['scenario']} · seed {res['seed']} · {res['replications']} day(s) per layout · waits in minutes\n"
            + table(head, rows))


def plan_text(res: dict) -> str:
    out = [f"{res['scenario']} · target mean ≤ {res['target_wait']:g} min, p90 ≤ {res['target_p90']:g} min in every "
           f"hour · policy {res['policy']} · {res['replications']} day(s) per try"]
    rows = []
    for o in res["options"]:
        groups = ", ".join(f"{g['name']}×{g['count']}" for g in o["groups"])
        worst = max((h["p90"] for h in o["hours"]), default=0)
        rows.append([f"{o['label']} / {o['label_en']}", o["windows"] if o["ok"] else f"> {o['windows']}",
                     "yes" if o["ok"] else "no", groups, worst])
    head = ["技能配置 skill mix", "窗口 windows", "达标 meets", "分组 groups", "最差小时p90 worst p90"]
    out.append(table(head, rows))
    best = res["best"]
    if best:
        out.append(f"\n建议 answer: {best['windows']} 个窗口 windows, {best['label']} / {best['label_en']}")
        for s in best["skills"]:
            out.append(f"  窗口 {s['window']} ({s['group']}): {', '.join(s['skills'])}")
    else:
        out.append("\n没有方案在上限内达标 no layout met the target within the limit")
    return "\n".join(out)
