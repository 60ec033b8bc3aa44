"""Plotly figures of the explorer. Presentation only: every number comes from an engine result, and every text from
the data goes through `plain` (plotly reads a subset of HTML in labels)."""

from collections import defaultdict

import plotly
import plotly.graph_objects as go

from explorer.text import plain, short
from xwalk.services.coverage import PARTS, VERDICTS, Report
from xwalk.services.explore import Neighbourhood
from xwalk.services.stats import RELATION_ORDER, StandardStats

VERDICT_COLOURS = {
    "done": "#1a9850",
    "extend": "#91cf60",
    "partial": "#f4a742",
    "new": "#d73027",
    "not reviewed": "#9e9e9e",
}
RELATION_COLOURS = {
    "equal": "#1b9e77",
    "subset_of": "#7570b3",
    "superset_of": "#d95f02",
    "intersects_with": "#e7298a",
    "no_relationship": "#9e9e9e",
}
STANDARD_COLOURS = {
    "iso42001": "#1f77b4",
    "iso27001": "#2ca02c",
    "iso27701-2019": "#9467bd",
    "iso27701-2025": "#8c564b",
    "iso23894": "#ff7f0e",
    "eu-ai-act": "#d62728",
}
SCORE_SCALE = [[0.0, "#d73027"], [0.5, "#fee08b"], [1.0, "#1a9850"]]
COUNT_SCALE = "Blues"  # every count (mappings, provisions) on one sequential scale
# One qualitative palette for categories without colours of their own (kinds of provision, risk tiers): colour-blind
# safe (plotly's Safe), then lighter shades of the same hues when there are more categories.
PALETTE = plotly.colors.qualitative.Safe + plotly.colors.qualitative.Pastel
RELATION_RANK = {r: i for i, r in enumerate(reversed(RELATION_ORDER), start=1)}  # equal strongest


def short_name(identifier: str) -> str:
    """A standard's identifier short enough for an axis on a phone: 42001:2023, AI Act."""
    return identifier.replace("ISO/IEC ", "").replace("Regulation (EU) 2024/1689", "AI Act")


def _layout(fig: go.Figure, height: int, **extra) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, **extra)
    return fig


def sizes(rows: list[StandardStats]) -> go.Figure:
    """Provisions per standard, stacked by kind."""
    kinds = sorted({kind for row in rows for kind in row.kinds})
    fig = go.Figure(
        [
            go.Bar(
                name=plain(kind),
                marker_color=PALETTE[i % len(PALETTE)],
                y=[plain(r.identifier) for r in rows],
                x=[r.kinds.get(kind, 0) for r in rows],
                orientation="h",
            )
            for i, kind in enumerate(kinds)
        ]
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 380, barmode="stack", legend={"orientation": "h", "y": -0.2}, xaxis_title="provisions")


def crosswalk(counts: dict[tuple[str, str], dict[str, int]], names: dict[str, str]) -> go.Figure:
    """Mappings per pair of editions (rows) and relation (columns). Plotly cannot select a heatmap cell, so a layer
    of near-transparent square markers over the cells takes the clicks; each marker's customdata is its pair."""
    pairs = sorted(counts)
    z = [[counts[p].get(r, 0) for r in RELATION_ORDER] for p in pairs]
    rows = [f"{plain(short_name(names.get(s, s)))} → {plain(short_name(names.get(o, o)))}" for s, o in pairs]
    cells = [
        (row, relation, pair, z[i][j])
        for i, (row, pair) in enumerate(zip(rows, pairs, strict=True))
        for j, relation in enumerate(RELATION_ORDER)
    ]
    fig = go.Figure(
        [
            go.Heatmap(
                z=z,
                x=[f"xw:{r}" for r in RELATION_ORDER],
                y=rows,
                text=z,
                texttemplate="%{text}",
                colorscale=COUNT_SCALE,
                hoverinfo="skip",
                colorbar={"title": {"text": "mappings"}},
            ),
            go.Scatter(
                x=[f"xw:{c[1]}" for c in cells],
                y=[c[0] for c in cells],
                mode="markers",
                marker={"symbol": "square", "size": 30, "opacity": 0.01, "color": "#000"},
                customdata=[f"{c[2][0]}|{c[2][1]}" for c in cells],
                text=[str(c[3]) for c in cells],
                hovertemplate="%{y}<br>%{x}: %{text} mappings (click for the list)<extra></extra>",
                showlegend=False,
            ),
        ]
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 80 + 34 * len(pairs), clickmode="event+select")


def coverage_tree(report: Report, kind: str = "sunburst") -> go.Figure:
    """The target's provisions by part and group (clause, objective, chapter), coloured by score; a parent's colour
    is the mean of its provisions' scores, the point estimate."""
    root = report.target["identifier"]
    ids, labels, parents, values, colours, hover = [root], [plain(root)], [""], [0], [report.summary.estimate], [""]
    part_title = {a.name: a.title for a in report.parts}
    group_title = {g.name: g.title for g in report.groups}
    seen = set()
    for v in report.provisions:
        part = PARTS[v.part][0]
        part_id = f"{root}/{part}"
        group_id = f"{part_id}/{v.group}"
        if part_id not in seen:
            seen.add(part_id)
            aggregate = next(a for a in report.parts if a.name == part)
            ids.append(part_id), labels.append(plain(part_title.get(part, part))), parents.append(root)
            values.append(0), colours.append(aggregate.estimate), hover.append("")
        if group_id not in seen:
            seen.add(group_id)
            aggregate = next(g for g in report.groups if g.name == v.group)
            ids.append(group_id), labels.append(plain(f"{v.group} {short(group_title.get(v.group, ''), 28)}"))
            parents.append(part_id), values.append(0), colours.append(aggregate.estimate)
            hover.append(plain(group_title.get(v.group, "")))
        ids.append(f"{group_id}/{v.id}"), labels.append(plain(v.id)), parents.append(group_id), values.append(1)
        colours.append(v.score), hover.append(plain(f"{short(v.title, 70)} · {v.verdict}"))
    trace = go.Sunburst if kind == "sunburst" else go.Treemap
    fig = go.Figure(
        trace(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="remainder",
            marker={
                "colors": colours,
                "colorscale": SCORE_SCALE,
                "cmin": 0,
                "cmax": 1,
                "showscale": True,
                "colorbar": {"title": {"text": "score"}, "tickformat": ".0%"},
            },
            customdata=hover,
            hovertemplate="<b>%{label}</b><br>%{customdata}<br>score %{color:.0%}<extra></extra>",
            maxdepth=3 if kind == "sunburst" else -1,
        )
    )
    return _layout(fig, 560)


def coverage_bars(report: Report) -> go.Figure:
    """Per group: the upper bound, the point estimate and the lower bound, overlaid."""
    groups = report.groups
    names = [plain(f"{g.name} {short(g.title, 40)}") for g in groups]
    bars = [
        ("upper bound", "#c6dbef", [g.upper for g in groups]),
        ("estimate", "#4292c6", [g.estimate for g in groups]),
        ("lower bound", "#08306b", [g.lower for g in groups]),
    ]
    fig = go.Figure(
        [
            go.Bar(name=name, y=names, x=x, orientation="h", marker_color=colour, hovertemplate="%{y}: %{x:.0%}")
            for name, colour, x in bars
        ]
    )
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 120 + 26 * len(groups), barmode="overlay", legend={"orientation": "h", "y": -0.08})


def verdict_counts(report: Report) -> go.Figure:
    counts = report.summary.verdicts
    fig = go.Figure(
        go.Bar(
            x=list(VERDICTS),
            y=[counts[v] for v in VERDICTS],
            marker_color=[VERDICT_COLOURS[v] for v in VERDICTS],
            text=[counts[v] for v in VERDICTS],
        )
    )
    return _layout(fig, 260, yaxis_title="provisions")


def network(graph: Neighbourhood, names: dict[str, str]) -> go.Figure:
    """A provision's neighbourhood: nodes coloured by standard (the focus larger, parents hollow), mapping links
    coloured by relation (derived ones dotted), broader links grey. Each node's customdata is its IRI."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(n.iri for n in graph.nodes)
    g.add_edges_from((e.source, e.target) for e in graph.edges)
    focus = next(n.iri for n in graph.nodes if n.role == "focus")
    spread = 2.2 / max(len(g), 1) ** 0.5  # wider than networkx's default, so labels do not overlap
    position = nx.spring_layout(g, k=spread, seed=7, pos={focus: (0.0, 0.0)}, fixed=[focus] if len(g) > 1 else None)
    traces = []
    by_style: dict[tuple, list] = defaultdict(list)
    for e in graph.edges:
        by_style[(e.kind, e.relation, e.derived)].append(e)
    for (kind, relation, derived), edges in sorted(by_style.items()):
        xs, ys = [], []
        for e in edges:
            (x0, y0), (x1, y1) = position[e.source], position[e.target]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        name = "parent (broader)" if kind == "broader" else relation + (" (derived)" if derived else "")
        line = {"color": "#bdbdbd" if kind == "broader" else RELATION_COLOURS.get(relation, "#555"), "width": 2}
        line["dash"] = "dot" if derived else ("dash" if kind == "broader" else "solid")
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=line, name=name, hoverinfo="skip"))
    mids = [e for e in graph.edges if e.kind == "mapping"]
    traces.append(
        go.Scatter(
            x=[(position[e.source][0] + position[e.target][0]) / 2 for e in mids],
            y=[(position[e.source][1] + position[e.target][1]) / 2 for e in mids],
            mode="markers",
            marker={"size": 6, "color": [RELATION_COLOURS.get(e.relation, "#555") for e in mids], "opacity": 0.6},
            text=[
                plain(f"{_node(graph, e.source)} {e.relation} {_node(graph, e.target)}")
                + (f" · strength {e.strength}" if e.strength is not None else "")
                + (" · derived by chaining" if e.derived else "")
                for e in mids
            ],
            hovertemplate="%{text}<extra></extra>",
            showlegend=False,
        )
    )
    for standard in sorted({n.standard for n in graph.nodes}):
        nodes = [n for n in graph.nodes if n.standard == standard]
        colour = STANDARD_COLOURS.get(standard, "#555")
        traces.append(
            go.Scatter(
                x=[position[n.iri][0] for n in nodes],
                y=[position[n.iri][1] for n in nodes],
                mode="markers+text",
                name=plain(names.get(standard, standard)),
                text=[plain(n.notation) for n in nodes],
                textposition=["bottom center" if n.role == "focus" else "top center" for n in nodes],
                customdata=[n.iri for n in nodes],
                hovertext=[
                    plain(f"{names.get(n.standard, n.standard)} {n.notation} — {n.title} ({n.role})") for n in nodes
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "size": [28 if n.role == "focus" else 12 if n.role == "parent" else 16 for n in nodes],
                    "color": ["white" if n.role == "parent" else colour for n in nodes],
                    "line": {"color": colour, "width": 2},
                    "symbol": ["star" if n.role == "focus" else "circle" for n in nodes],
                },
            )
        )
    fig = go.Figure(traces)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, 640, legend={"orientation": "h", "y": -0.02}, clickmode="event+select", dragmode="pan")


def _node(graph: Neighbourhood, iri: str) -> str:
    return next((n.notation for n in graph.nodes if n.iri == iri), iri)


def systems_timeline(result: dict) -> go.Figure:
    """One row per AI system, a marker per obligation at the date it applies from (hollow: only if a condition
    holds), and a line at the chosen day."""
    styles = {
        "applies": ("applies now", "circle", "#1f4e79"),
        "next": ("coming", "circle", "#5b9bd5"),
        "if": ("applies if", "circle-open", "#9a6700"),
    }
    traces = []
    for status, (name, symbol, colour) in styles.items():
        points = [(o, s["name"]) for s in result["systems"] for o in s["obligations"] if o["status"] == status]
        traces.append(
            go.Scatter(
                x=[o["applies_from"] for o, _ in points],
                y=[plain(system) for _, system in points],
                mode="markers",
                name=name,
                marker={"symbol": symbol, "size": 11, "color": colour},
                text=[plain(f"{o['id']} ({o['role']}) {o['conditions']}") for o, _ in points],
                hovertemplate="%{y} · from %{x|%Y-%m-%d}<br>%{text}<extra></extra>",
            )
        )
    fig = go.Figure(traces)
    fig.add_vline(x=result["on"], line_dash="dash", line_color="#c00000")
    fig.add_annotation(x=result["on"], y=1.02, yref="paper", text=f"on {result['on']}", showarrow=False)
    return _layout(fig, 160 + 40 * len(result["systems"]), xaxis_title="applies from")


def control_heatmap(rows: list[dict], names: dict[str, str], x_order: list[str]) -> go.Figure:
    """One provision against another (rows: the subjects, columns: the objects in `x_order`), each cell coloured by
    the strongest curated relation between the two. A layer of near-transparent markers over the mapped cells takes
    the clicks (plotly cannot select a heatmap cell); each marker's customdata is "subject IRI|mapping IRI"."""
    best: dict[tuple[str, str], dict] = {}
    for r in rows:
        cell = (r["subject_id"], r["object_id"])
        if cell not in best or RELATION_RANK[r["relation"]] > RELATION_RANK[best[cell]["relation"]]:
            best[cell] = r
    ys = list(dict.fromkeys(r["subject_id"] for r in rows))
    xs = [x for x in x_order if any(c[1] == x for c in best)]
    titles = {r["subject_id"]: r["subject_title"] for r in rows} | {r["object_id"]: r["object_title"] for r in rows}
    z = [[RELATION_RANK[best[(y, x)]["relation"]] if (y, x) in best else None for x in xs] for y in ys]
    ranks = sorted(RELATION_RANK.values())
    n = len(ranks)
    scale = []
    for i, relation in enumerate(sorted(RELATION_RANK, key=RELATION_RANK.get)):
        scale += [[i / n, RELATION_COLOURS[relation]], [(i + 1) / n, RELATION_COLOURS[relation]]]

    def describe(y: str, x: str) -> str:
        m = best.get((y, x))
        if m is None:
            return ""
        lines = [f"{y} {short(titles[y], 40)}", m["relation"].replace("_", " "), f"{x} {short(titles[x], 40)}"]
        lines += [f"strength {m['strength']} of 10"] if m["strength"] is not None else []
        return "<br>".join(plain(line) for line in lines) + "<br>(click for the mapping)"

    mapped = [(y, x) for y in ys for x in xs if (y, x) in best]
    fig = go.Figure(
        [
            go.Heatmap(
                z=z,
                x=xs,
                y=ys,
                zmin=0.5,
                zmax=n + 0.5,
                colorscale=scale,
                xgap=1,
                ygap=1,
                hoverinfo="skip",  # the markers above carry the hover and take the click
                colorbar={
                    "title": {"text": "strongest relation"},
                    "tickvals": ranks,
                    "ticktext": [f"xw:{r}" for r in sorted(RELATION_RANK, key=RELATION_RANK.get)],
                },
            ),
            go.Scatter(
                x=[c[1] for c in mapped],
                y=[c[0] for c in mapped],
                mode="markers",
                marker={"symbol": "square", "size": 11, "opacity": 0.01, "color": "#000"},
                customdata=[f"{best[c]['subject']}|{best[c]['mapping']}" for c in mapped],
                text=[describe(*c) for c in mapped],
                hovertemplate="%{text}<extra></extra>",
                showlegend=False,
            ),
        ]
    )
    subject, object_ = (short_name(names.get(rows[0][k], "")) if rows else "" for k in ("subject_key", "object_key"))
    fig.update_yaxes(type="category", dtick=1, autorange="reversed", title_text=plain(subject))
    fig.update_xaxes(type="category", dtick=1, tickangle=-60, title_text=plain(object_))
    return _layout(fig, 160 + 14 * len(ys), clickmode="event+select", dragmode="pan")
