# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The change request a security team approves: every flow of a site, in four formats.

``hosts_flows`` plans every host of the site with its own settings, as
apply plans it, and lists each flow once (per product, source class,
destination class and protocol) with the union of what the hosts enforce:
its source networks, its destination (the region's domains, CIDRs or any),
protocol and ports, purpose, requirement ids, the page's sections and flags,
and the hosts, each with its own ports or networks where they differ.  A row
no plan resolves is listed with the hosts it is missing on.  ``site_flows``
plans one site's settings, each product as a gateway would.  The renderers
make Markdown (with a Mermaid flow diagram), one self-contained HTML file
(inline CSS and SVG, nothing fetched), CSV and JSON.
The HTML fits the width of a printed page (A4 or US Letter, portrait): each
flow has a row of short columns and, under it, a row with its purpose,
sections, flags and sources; long values break after dots, underscores and
dashes.  The SVG is laid out by report_diagram.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Catalog, Source
from ansible_collections.purecloud.firewall.plugins.module_utils.host_plans import joined, on_hosts, plan_hosts
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, Addresses, HostPlan
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import normalize_ports
from ansible_collections.purecloud.firewall.plugins.module_utils.report_diagram import Edge, flow_svg
from ansible_collections.purecloud.firewall.plugins.module_utils.site import catalog_for, cloud_domains, plan_products
from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import strict_feeds

COLUMNS = ("product", "from", "source_networks", "to", "destination", "protocol", "ports", "purpose",
           "requirements", "sections", "flags", "sources", "hosts")


@dataclass(frozen=True)
class ReportFlow:
    """One line of the change request: a planned rule with what the page says about it, as text."""

    product: str
    source_class: str
    source_networks: str
    destination_class: str
    destination: str
    protocol: str
    ports: str
    purpose: str
    requirements: str
    sections: str
    flags: str
    sources: str
    hosts: str = ""  # the hosts that enforce it, each with its own ports or networks where they differ

    def columns(self) -> Dict[str, str]:
        """The line under the report's column names (COLUMNS)."""
        return {"product": self.product, "from": self.source_class, "source_networks": self.source_networks,
                "to": self.destination_class, "destination": self.destination, "protocol": self.protocol,
                "ports": self.ports, "purpose": self.purpose, "requirements": self.requirements,
                "sections": self.sections, "flags": self.flags, "sources": self.sources, "hosts": self.hosts}


@dataclass(frozen=True)
class Report:
    """The site's change request before it is written in a format."""

    region: str
    products: Tuple[str, ...]
    catalog_version: Any
    page_revision: str
    edition: str
    overlays: Tuple[str, ...]
    sources: Tuple[Source, ...]
    flows: Tuple[ReportFlow, ...]
    warnings: Tuple[str, ...]
    hosts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # host -> its products and mode

    def as_dict(self) -> Dict[str, Any]:
        return {"region": self.region, "products": list(self.products), "catalog_version": self.catalog_version,
                "page_revision": self.page_revision, "edition": self.edition, "overlays": list(self.overlays),
                "sources": [s.as_dict() for s in self.sources], "flows": [f.columns() for f in self.flows],
                "warnings": list(self.warnings), "hosts": dict((h, dict(v)) for h, v in self.hosts.items())}


@dataclass(frozen=True)
class _Planned:
    """One flow of one plan before it is text: what the hosts' flows are compared and united by."""

    product: str
    source_class: str
    destination_class: str
    protocol: str
    sources: Tuple[str, ...]  # ("any",), or the CIDRs
    destinations: Tuple[str, ...]  # ("any",), the CIDRs, or the region's domains
    ports: Tuple[str, ...]
    purposes: Tuple[str, ...]
    ids: Tuple[str, ...]
    sections: Tuple[str, ...]
    flags: Tuple[str, ...]
    cited: Tuple[str, ...]

    @property
    def key(self) -> Tuple[str, str, str, str]:
        return (self.product, self.source_class, self.destination_class, self.protocol)


def _destination(catalog: Catalog, cls: str, cidrs: Addresses, region: str) -> Tuple[str, ...]:
    if cidrs != ANY:
        return tuple(cidrs)
    return cloud_domains(catalog, region).get(cls, ()) or (ANY,)


def _planned(product: str, plan: HostPlan, catalog: Catalog) -> List[_Planned]:
    """The flows of one product's plan, with what the page says about each."""
    rows = dict((row.id, row) for row in plan.requirements)
    flows = []
    for rule in plan.rules:
        used = [rows[rid] for rid in rule.ids if rid in rows]
        flows.append(_Planned(
            product=product, source_class=rule.source_class, destination_class=rule.destination_class,
            protocol=rule.protocol, sources=(ANY,) if rule.sources == ANY else tuple(rule.sources),
            destinations=_destination(catalog, rule.destination_class, rule.destinations, plan.region),
            ports=tuple(rule.ports), purposes=tuple(row.description for row in used), ids=tuple(rule.ids),
            sections=tuple(row.section for row in used),
            flags=tuple(sorted(set(name for row in used for name in row.flags))),
            cited=tuple(dict.fromkeys(source for row in used for source in row.provenance.sources))))
    return flows


def _addresses(values: Sequence[Tuple[str, ...]]) -> str:
    """The union of the hosts' addresses: any, if one host allows any."""
    if any(value == (ANY,) for value in values):
        return ANY
    return joined([item for value in values for item in value])


def _hosts(seen: Sequence[Tuple[Tuple[str, ...], _Planned]]) -> str:
    """The hosts that enforce a flow; where they differ, each with its own ports, sources or destination."""
    variants: Dict[Tuple[Tuple[str, ...], ...], List[str]] = {}
    for hosts, flow in seen:
        variants.setdefault((flow.ports, flow.sources, flow.destinations), []).extend(hosts)
    if len(variants) == 1:
        return joined([host for names in variants.values() for host in names])
    differ = [(n, label) for n, label in enumerate(("ports", "from", "to")) if len(set(v[n] for v in variants)) > 1]
    return "; ".join("%s %s" % (", ".join(names), " ".join("(%s %s)" % (label, ", ".join(variant[n]))
                                                           for n, label in differ))
                     for variant, names in variants.items())


def _flow(seen: Sequence[Tuple[Tuple[str, ...], _Planned]]) -> ReportFlow:
    """One line for a flow as every host that enforces it has it: the union of theirs."""
    flows = [flow for _hosts_of, flow in seen]
    first = flows[0]
    return ReportFlow(
        product=first.product, source_class=first.source_class,
        source_networks=_addresses([f.sources for f in flows]),
        destination_class=first.destination_class, destination=_addresses([f.destinations for f in flows]),
        protocol=first.protocol, ports=", ".join(normalize_ports([p for f in flows for p in f.ports])),
        purpose="; ".join(dict.fromkeys(p for f in flows for p in f.purposes)),
        requirements=joined([i for f in flows for i in f.ids]),
        sections=joined([s for f in flows for s in f.sections]),
        flags=", ".join(sorted(set(name for f in flows for name in f.flags))),
        sources=joined([c for f in flows for c in f.cited]),
        hosts=_hosts(seen) if any(hosts for hosts, _flow_of in seen) else "")


def site_flows(settings: Mapping[str, Any], catalog: Optional[Catalog] = None) -> Report:
    """Every flow of the site's products, planned as a gateway sees them, with what the page says about it."""
    catalog = catalog or catalog_for(settings)
    flows: List[ReportFlow] = []
    warnings: List[str] = []
    cited: Dict[str, None] = {}
    for product, plan in plan_products(settings, catalog=catalog, **strict_feeds(settings, warnings, catalog)):
        warnings.extend(plan.warnings)
        for planned in _planned(product, plan, catalog):
            cited.update(dict.fromkeys(planned.cited))
            flows.append(_flow([((), planned)]))
    return Report(region=settings["region"], products=tuple(settings["products"]),
                  catalog_version=catalog.version, page_revision=catalog.page_revision,
                  edition=catalog.edition, overlays=tuple(catalog.overlays),
                  sources=tuple(catalog.sources[s] for s in cited if s in catalog.sources),
                  flows=tuple(flows), warnings=tuple(sorted(set(warnings))))


def hosts_flows(hosts: Mapping[str, Mapping[str, Any]]) -> Report:
    """Every flow the site's hosts enforce, each host planned with its own settings (host name -> settings).

    A flow appears once, with the union of what the hosts enforce and the
    hosts, each with its own ports or networks where they differ; a warning
    (a row a host cannot resolve) names the hosts it holds for.
    """
    groups = plan_hosts(hosts)
    seen: Dict[Tuple[str, str, str, str], List[Tuple[Tuple[str, ...], _Planned]]] = {}
    warned: Dict[str, List[str]] = {}
    sources: Dict[str, Source] = {}
    for group in groups:
        for text in group.warnings:
            warned.setdefault(text, []).extend(group.hosts)
        for product, plan in group.plans:
            for text in plan.warnings:
                warned.setdefault(text, []).extend(group.hosts)
            for planned in _planned(product, plan, group.catalog):
                seen.setdefault(planned.key, []).append((group.hosts, planned))
                sources.update((s, group.catalog.sources[s]) for s in planned.cited
                               if s in group.catalog.sources and s not in sources)
    order = list(groups[0].catalog.role_products())
    products = sorted(dict.fromkeys(p for g in groups for p, _plan in g.plans),
                      key=lambda p: order.index(p) if p in order else len(order))
    catalogs = [g.catalog for g in groups]
    return Report(region=joined([g.settings["region"] for g in groups]), products=tuple(products),
                  catalog_version=joined([c.version for c in catalogs]),
                  page_revision=joined([c.page_revision for c in catalogs]),
                  edition=joined([c.edition for c in catalogs]),
                  overlays=tuple(dict.fromkeys(o for c in catalogs for o in c.overlays)),
                  sources=tuple(sources.values()),
                  flows=tuple(_flow(seen[key]) for key in sorted(seen, key=lambda k: (products.index(k[0]), k[1:]))),
                  warnings=tuple(on_hosts(text, list(dict.fromkeys(names))) for text, names in sorted(warned.items())),
                  hosts=dict((host, {"products": [p for p, _plan in g.plans], "mode": g.plans[0][1].mode})
                             for g in groups for host in g.hosts))


def _edges(flows: Sequence[ReportFlow]) -> List[Dict[str, str]]:
    """One diagram edge per (from, to): the ports that pass, merged per protocol across products."""
    ports: Dict[tuple, Dict[str, List[str]]] = {}
    for flow in flows:
        by_protocol = ports.setdefault((flow.source_class, flow.destination_class), {})
        by_protocol.setdefault(flow.protocol, []).extend(p.strip() for p in flow.ports.split(","))
    return [{"from": src, "to": dst, "label": "; ".join("%s %s" % (protocol, ", ".join(normalize_ports(items)))
                                                        for protocol, items in sorted(by_protocol.items()))}
            for (src, dst), by_protocol in sorted(ports.items())]


def _about(report: Report) -> str:
    """Region, products, the hosts planned, and the catalog the flows come from: edition, version, overlays."""
    return "Region %s; products %s;%s catalog edition %s (catalog %s, page revision %s)%s." % (
        report.region, ", ".join(report.products),
        " hosts %s;" % ", ".join("%s (%s)" % (host, about["mode"]) for host, about in report.hosts.items())
        if report.hosts else "", report.edition, report.catalog_version,
        report.page_revision, "; overlays %s" % ", ".join(report.overlays) if report.overlays else "")


def to_markdown(report: Report) -> str:
    lines = ["# PureCloud firewall change request", "", _about(report),
             "", "## Flow diagram", "", "```mermaid", "flowchart LR"]
    for edge in _edges(report.flows):
        lines.append('  %s -- "%s" --> %s' % (edge["from"], edge["label"].replace('"', "'"), edge["to"]))
    lines += ["```", "", "## Flows", "",
              "| " + " | ".join(c.replace("_", " ") for c in COLUMNS) + " |",
              "|" + " --- |" * len(COLUMNS)]
    for flow in report.flows:
        lines.append("| " + " | ".join(str(flow.columns()[c]).replace("|", "\\|") for c in COLUMNS) + " |")
    if report.warnings:
        lines += ["", "## Not yet resolved", ""] + ["- %s" % w for w in report.warnings]
    if report.sources:
        lines += ["", "## Sources", ""] + ["- `%s`: %s, %s" % (s.id, s.title, s.where)
                                           for s in report.sources]
    return "\n".join(lines) + "\n"


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(flow.columns() for flow in report.flows)
    return out.getvalue()


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=1, sort_keys=True) + "\n"


def to_svg(report: Report) -> str:
    """Site classes on the left, destinations on the right, one labelled arrow per pair (see report_diagram)."""
    return flow_svg([Edge(e["from"], e["to"], e["label"]) for e in _edges(report.flows)])


# The flows table: these columns on the flow's row, the others on a details row under it, so that the table fits
# the width of a printed page (A4 and US Letter, portrait); widths in per cent of the table.
ROW_COLUMNS = (("product", 9), ("from", 10), ("source_networks", 13), ("to", 11), ("destination", 18),
               ("protocol", 8), ("ports", 12), ("requirements", 19))
DETAIL_COLUMNS = ("purpose", "sections", "flags", "sources", "hosts")
# Where a long value may break besides its spaces: after the dots and underscores of names and requirement
# ids, the dashes of port ranges and the colons of IPv6 networks.
_BREAK_AFTER = {"product": "_", "from": "_", "to": "_", "destination": ".:_", "ports": "-",
                "source_networks": ":", "requirements": "._", "flags": "_"}

_CSS = """
body{font-family:"DejaVu Sans",sans-serif;margin:24px;color:#111;overflow-wrap:break-word}
#flow-diagram{display:block;max-width:100%;height:auto}
table{border-collapse:collapse;font-size:11px;margin-top:8px;width:100%;table-layout:fixed}
th,td{border:1px solid #bbb;padding:3px 4px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef;font-size:10.5px}
tr.details td{border-top:none;padding:1px 4px 5px 12px;color:#333}
tr.details th{font-weight:normal;font-style:italic}
tr.details b{font-weight:600;color:#555}
tbody.entry{break-inside:avoid}
tbody.entry:nth-of-type(even){background:#f6f7fb}
@page{size:portrait;margin:10mm}
@media print{
body{margin:0}
h2{break-after:avoid}
table{font-size:10px}
th{font-size:10px}
thead{display:table-header-group}
#flow-diagram{break-inside:avoid}
}
"""


def _cell(column: str, value: str) -> str:
    """The value as HTML, with a break opportunity after the characters where its column may break."""
    text = html.escape(value)
    for char in _BREAK_AFTER.get(column, ""):
        text = text.replace(char, char + "<wbr>")
    return text.replace("*.<wbr>", "*.")  # a wildcard stays with its domain


def _flow_rows(flow: ReportFlow) -> str:
    """The flow's row, and its details row: what it is for, the page's sections, flags, sources and hosts."""
    values = flow.columns()
    meta = " &middot; ".join('<span class="%s"><b>%s</b> %s</span>' % (c, c, _cell(c, values[c]))
                             for c in DETAIL_COLUMNS[1:] if values[c])
    details = "".join('<div class="%s">%s</div>' % (kind, text) for kind, text in (
        ("purpose", "<b>purpose</b> %s" % _cell("purpose", values["purpose"]) if values["purpose"] else ""),
        ("meta", meta)) if text)
    return '<tbody class="entry"><tr>%s</tr>\n<tr class="details"><td colspan="%d">%s</td></tr></tbody>' % (
        "".join("<td>%s</td>" % _cell(c, values[c]) for c, _width in ROW_COLUMNS), len(ROW_COLUMNS), details)


def to_html(report: Report) -> str:
    rows = "\n".join(_flow_rows(flow) for flow in report.flows)
    warnings = "".join("<li>%s</li>" % html.escape(w) for w in report.warnings)
    sources = "".join("<li><code>%s</code>: %s, %s</li>" % (html.escape(s.id), html.escape(s.title),
                                                            html.escape(s.where)) for s in report.sources)
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>PureCloud firewall change request</title>
<style>%s</style></head><body>
<h1>PureCloud firewall change request</h1>
<p>%s</p>
<h2>Flow diagram</h2>
<p>The site's classes in blue, the destinations outside the site in amber, each flow's protocols and ports on
its arrow. A flow between two of the site's classes, or from a class to itself, loops out on the left through
its label and back to the class it goes to, where its arrowhead is.</p>
%s
<h2>Flows</h2>
<table id="flows"><colgroup>%s</colgroup>
<thead><tr>%s</tr>
<tr class="details"><th colspan="%d">under each flow: %s</th></tr></thead>
%s
</table>
%s
%s
</body></html>
""" % (_CSS, html.escape(_about(report)), to_svg(report),
       "".join('<col style="width:%d%%">' % width for _column, width in ROW_COLUMNS),
       "".join("<th>%s</th>" % c.replace("_", " ") for c, _width in ROW_COLUMNS), len(ROW_COLUMNS),
       ", ".join(DETAIL_COLUMNS), rows,
       ("<h2>Not yet resolved</h2><ul>%s</ul>" % warnings) if warnings else "",
       ("<h2>Sources</h2><ul id=\"sources\">%s</ul>" % sources) if sources else "")


def render_report(settings: Mapping[str, Any], catalog: Optional[Catalog] = None,
                  hosts: Optional[Mapping[str, Mapping[str, Any]]] = None) -> Dict[str, Any]:
    """{markdown, html, csv, json} for the site's products, or, given ``hosts``, for what its hosts enforce."""
    report = hosts_flows(hosts) if hosts is not None else site_flows(settings, catalog)
    return {"markdown": to_markdown(report), "html": to_html(report), "csv": to_csv(report), "json": to_json(report),
            "flows": len(report.flows)}
