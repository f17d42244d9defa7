"""Pages behind a personal link: the daily report, verification, BerAKHLAK ratings, team scores, complaint handling."""
