"""The staff area: personal links, daily reports, the supervisor's verification and the monthly BerAKHLAK rating."""
