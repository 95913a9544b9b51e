"""accredit: Work Experience Quality Standard self-assessment and accreditation."""
