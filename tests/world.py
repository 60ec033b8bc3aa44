"""Constants of the fixture world (tests/fixtures/world/): two standards, a dozen provisions, one mapping set."""

from pathlib import Path

from xwalk.core.paths import SCHEMA_FILE

WORLD = Path(__file__).parent / "fixtures" / "world"
FILES = [SCHEMA_FILE, WORLD / "catalogs.ttl", WORLD / "iso42001-2023_iso27001-2022.sssom.tsv"]

ISO42001 = "https://w3id.org/xwalk/id/iso-iec-42001-2023"
ISO27001 = "https://w3id.org/xwalk/id/iso-iec-27001-2022"
AI_RISK_ASSESSMENT = f"{ISO42001}/6.1.2"
AI_IMPACT_ASSESSMENT = f"{ISO42001}/6.1.4"
AI_EVENT_LOGS = f"{ISO42001}/A.6.2.8"
AI_LIFE_CYCLE = f"{ISO42001}/A.6.2"
IS_RISK_ASSESSMENT = f"{ISO27001}/6.1.2"
LOGGING = f"{ISO27001}/A.8.15"
MONITORING = f"{ISO27001}/A.8.16"
TECHNOLOGICAL = f"{ISO27001}/A.8"
MAPPINGS = 5
PROVISIONS = 12
