"""The bad-spec cases of tests/test_spec_errors.py: edits of a valid base spec and their exact errors."""

from __future__ import annotations

from pathlib import Path

# The valid spec every case edits (tests/badspecs/base.py.txt).
BASE = (Path(__file__).parent / "badspecs" / "base.py.txt").read_text()
# The warning tier's `for_` and summary, which several cases extend.
TIER_WARNING = '        for_="5m",\n        summary="Shop error rate above 5%"'

# (case id, [(text in the valid base, replacement)], expected stderr lines before the summary)
CASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    (
        "unknown-field",
        [
            (
                TIER_WARNING,
                '        for_="5m",\n        threshhold=1,\n        summary="Shop error rate above 5%"',
            )
        ],
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': unknown field 'threshhold'; did you mean 'threshold'?"
        ],
    ),
    (
        "bad-duration",
        [
            (
                'for_="5m",\n        summary="Shop error rate above 5%"',
                'for_="5 minutes",\n        summary="Shop error rate above 5%"',
            )
        ],
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': for_: invalid duration '5 minutes'; write a number "
            "and a unit (ms, s, m, h, d, w, y), largest unit first, e.g. '30s', '5m', '1h30m'"
        ],
    ),
    (
        "duration-not-a-string",
        [
            (
                'for_="5m",\n        summary="Shop error rate above 5%"',
                'for_=300,\n        summary="Shop error rate above 5%"',
            )
        ],
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': for_: durations are strings such as '5m', not int 300"
        ],
    ),
    (
        "bad-promql",
        [("/ sum by (job)", "/ / sum by (job)")],
        [
            "specs/shop.py:3: Signal 'error_ratio': invalid PromQL 'sum by (job) "
            '(rate(shop_requests_total{code=~"5.."}[5m])) / / sum by (job) (rate(shop_requests_total[5m]))\': '
            "invalid promql query (likely two binary operators in a row)"
        ],
    ),
    (
        "promql-unclosed",
        [("[5m]))'", "[5m])'")],
        [
            "specs/shop.py:3: Signal 'error_ratio': invalid PromQL 'sum by (job) "
            '(rate(shop_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(shop_requests_total[5m])\': '
            "unclosed left parenthesis"
        ],
    ),
    (
        "tiers-of-one-name",
        [('name="ShopCriticalErrorRate"', 'name="ShopHighErrorRate"')],
        ["specs/shop.py:9: Alert 'ShopHighErrorRate/ShopHighErrorRate': the two tiers need two names"],
    ),
    (
        "duplicate-alert",
        [("alerts=(tiers,)", "alerts=(tiers, tiers)")],
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': the same alert (name, labels and condition) is "
            "defined at specs/shop.py:11; remove one",
            "specs/shop.py:18: Alert 'ShopCriticalErrorRate': the same alert (name, labels and condition) is "
            "defined at specs/shop.py:18; remove one",
        ],
    ),
    (
        "tier-order",
        [("threshold=0.05", "threshold=0.12")],
        ["specs/shop.py:11: Alert 'ShopHighErrorRate': warning threshold 0.12 is not below critical 0.1"],
    ),
    (
        "metric-not-in-catalog",
        [("rate(shop_requests_total[5m])", "rate(shop_request_total[5m])")],
        [
            "specs/shop.py:3: Signal 'error_ratio': metric 'shop_request_total' is not in the metric catalog "
            "of service 'shop' nor recorded by one of its signals; add it to metrics= or fix the name"
        ],
    ),
    (
        "invalid-label-name",
        [('labels=("code",)', 'labels=("status-code",)')],
        [
            "specs/shop.py:31: Metric 'shop_requests_total': labels.0: invalid label name 'status-code'; "
            "use letters, digits and underscores, not starting with a digit or '__'"
        ],
    ),
    (
        "unbalanced-template",
        [('summary="Shop error rate above 10%"', 'summary="Shop error rate {{ $value above 10%"')],
        [
            "specs/shop.py:18: Alert 'ShopCriticalErrorRate': summary: unbalanced '{{' in template; "
            "close every '{{' with '}}'"
        ],
    ),
    (
        "unsupported-template",
        [('summary="Shop error rate above 10%"', 'summary="Shop error rate {{ humanise .Value }}"')],
        [
            "specs/shop.py:18: Alert 'ShopCriticalErrorRate': summary: unknown template function 'humanise' "
            "in '{{ humanise .Value }}'; did you mean 'humanize'?"
        ],
    ),
    (
        "missing-runbook",
        [
            (
                '        summary="Shop error rate above 10%",\n        runbook=RUNBOOK,',
                '        summary="Shop error rate above 10%",',
            )
        ],
        [
            "specs/shop.py:18: Alert 'ShopCriticalErrorRate': runbook missing; add "
            "runbook=Runbook(actions=[Step(...)]) so on-call knows what to do, or runbook_url= where it is kept"
        ],
    ),
    (
        "empty-summary",
        [('summary="Shop error rate above 5%"', 'summary="  "')],
        ["specs/shop.py:11: Alert 'ShopHighErrorRate': summary: must not be empty"],
    ),
    (
        "negative-threshold",
        [("threshold=0.05", "threshold=-0.05")],
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': threshold -0.05 is negative, but a percentunit "
            "signal never is; use a value >= 0"
        ],
    ),
    (
        "ratio-as-percent",
        [("threshold=0.10", "threshold=10")],
        [
            "specs/shop.py:18: Alert 'ShopCriticalErrorRate': threshold 10 on a ratio (percentunit) signal "
            "means 1000%; write ratios between 0 and 1, e.g. 0.05 for 5%"
        ],
    ),
    (
        "invalid-alert-name",
        [('name="ShopCriticalErrorRate"', 'name=" ShopCritical"')],
        [
            "specs/shop.py:18: Alert ' ShopCritical': name: invalid alert name ' ShopCritical'; "
            "write it on one line without control characters or surrounding spaces, e.g. 'HighErrorRate'"
        ],
    ),
    (
        "team-name-of-one-letter",
        [('team="shop-team"', 'team="t"')],
        [
            "specs/shop.py:26: Service 'shop': team: invalid name 't'; use lower-kebab-case of 2-63 "
            "characters (lowercase letters, digits, '-'; starting with a letter, not ending in '-'), "
            "e.g. 'brownie-metadata'"
        ],
    ),
    (
        "secret-in-runbook-text",
        [
            (
                'Step(title="Look at the logs")',
                'Step(title="Look at the logs", text="or post to https://hooks.slack.com/services/T0/B0/XYZ")',
            )
        ],
        [
            "specs/shop.py:8: Step: text: looks like a Slack webhook URL; the generated files are committed, "
            "so a spec must not hold secrets: say where the secret is kept instead"
        ],
    ),
    (
        "secret-in-alert-summary",
        [('summary="Shop error rate above 10%"', 'summary="see postgres://shop:hunter2@db/shop"')],
        [
            "specs/shop.py:18: Alert 'ShopCriticalErrorRate': summary: looks like a URL with a password "
            "(user:password@); the generated files are committed, so a spec must not hold "
            "secrets: say where the secret is kept instead"
        ],
    ),
    (
        "module-raises",
        [("RUNBOOK = Runbook", "x = 1 / 0\nRUNBOOK = Runbook")],
        ["specs/shop.py:8: the spec module raised ZeroDivisionError: division by zero"],
    ),
    (
        "syntax-error",
        [('    name="shop",', '    name="shop,')],
        ["specs/shop.py:27: syntax error: unterminated string literal (detected at line 27)"],
    ),
    (
        "firing-example-without-value",
        [
            (
                '        summary="Shop error rate above 5%",\n',
                '        summary="Shop error rate above 5%",\n'
                '        examples=(Example(name="10% fail", series={"shop_requests_total{job=\\"s\\",code=\\"500\\"}": "0+1x19"}, interval="30s", at="5m", fires=True),),\n',
            )
        ],
        [
            "specs/shop.py:16: Alert 'ShopHighErrorRate': example '10% fail': the annotations show $value, "
            "which alertgen cannot work out for this example; give the alert's value at 5m as value="
        ],
    ),
    (
        "firing-example-with-a-wrong-value",
        [
            (
                '        summary="Shop error rate above 5%",\n',
                '        summary="Shop error rate above 5%",\n'
                '        examples=(Example(name="all fail", series={"shop_requests_total{job=\\"s\\",code=\\"500\\"}": "0+1x9"}, at="5m", fires=True, value=0.5),),\n',
            )
        ],
        [
            "specs/shop.py:16: Alert 'ShopHighErrorRate': example 'all fail': value=0.5, but its series give 1.0 "
            "at 5m, so promtool would see other annotations; fix value= or leave it out (alertgen works it out)"
        ],
    ),
    (
        "example-series-not-a-selector",
        [
            (
                '        summary="Shop error rate above 5%",\n',
                '        summary="Shop error rate above 5%",\n'
                '        examples=(Example(name="bad", series={"rate(x[5m])": "0+1x9"}, at="5m", fires=False),),\n',
            )
        ],
        [
            "specs/shop.py:16: Alert 'ShopHighErrorRate': example 'bad': input series 'rate(x[5m])' is not "
            'a series selector like name{label="value"}'
        ],
    ),
    (
        "all-errors-at-once",
        [
            ("threshold=0.05", "threshold=0.12"),
            ('labels=("code",)', 'labels=("status-code",)'),
            ('summary="Shop error rate above 10%"', 'summary=""'),
        ],
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': warning threshold 0.12 is not below critical 0.1",
            "specs/shop.py:18: Alert 'ShopCriticalErrorRate': summary: must not be empty",
            "specs/shop.py:31: Metric 'shop_requests_total': labels.0: invalid label name 'status-code'; "
            "use letters, digits and underscores, not starting with a digit or '__'",
        ],
    ),
    (
        "trailing-newline-in-a-duration",
        [(TIER_WARNING, TIER_WARNING.replace('for_="5m"', 'for_="5m\\n"'))],
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': for_: invalid duration '5m\\n'; write a number "
            "and a unit (ms, s, m, h, d, w, y), largest unit first, e.g. '30s', '5m', '1h30m'"
        ],
    ),
    (
        "duration-past-what-prometheus-holds",
        [(TIER_WARNING, TIER_WARNING.replace('for_="5m"', 'for_="99999999999999999999y"'))],
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': for_: duration '99999999999999999999y' is longer "
            "than Prometheus accepts (about 292 years)"
        ],
    ),
    (
        "nan-threshold",
        [("threshold=0.05", 'threshold=float("nan")')],
        ["specs/shop.py:11: Alert 'ShopHighErrorRate': threshold: Input should be a finite number"],
    ),
    (
        "infinite-threshold",
        [("threshold=0.10", 'threshold=float("inf")')],
        ["specs/shop.py:18: Alert 'ShopCriticalErrorRate': threshold: Input should be a finite number"],
    ),
    (
        "a-label-alertgen-sets",
        [(TIER_WARNING, TIER_WARNING + ',\n        labels={"severity": "page", "alertname": "X"}')],
        [
            "specs/shop.py:11: Alert 'ShopHighErrorRate': labels set alertname='X', but alertgen sets "
            "alertname='ShopHighErrorRate' (from the alert's name); remove it from labels=",
            "specs/shop.py:11: Alert 'ShopHighErrorRate': labels set severity='page', but alertgen sets "
            "severity='warning' (from severity= or the tier); remove it from labels=, or rename or turn off "
            "that label in Conventions",
        ],
    ),
    (
        "expression-too-deep",
        [
            (
                "/ sum by (job) (rate(shop_requests_total[5m]))",
                "/ " + "(" * 130 + "sum by (job) (rate(shop_requests_total[5m]))" + ")" * 130,
            )
        ],
        [
            "specs/shop.py:3: Signal 'error_ratio': expr nests 135 levels deep; alertgen follows labels "
            "through at most 120: split it into signals that record its parts"
        ],
    ),
]
