package assess

// The codes of the result (docs/rules.md, "Rules" and "Output"). Like the
// question ids they are a public contract: never renamed, never reused.
const (
	VerdictNotEligible = "not_eligible"
	VerdictIncomplete  = "incomplete"
	VerdictPrepare     = "prepare"
	VerdictReady       = "ready"

	BlockerAuditBody               = "audit_body"
	BlockerNoEnterpriseNumber      = "no_enterprise_number"
	BlockerInvalidEnterpriseNumber = "invalid_enterprise_number"
	BlockerNoSEPAAccount           = "no_sepa_account"
	BlockerInvalidIBAN             = "invalid_iban"
	BlockerNoService               = "no_service"
	BlockerNoSubsidisedService     = "no_subsidised_service"
	BlockerNoTheme                 = "no_theme"

	WarningAdviceNotSubsidised     = "advice_not_subsidised"
	WarningAdviceCybersecurityOnly = "advice_cybersecurity_only"
	WarningIntegrityReview         = "integrity_review"
	WarningWSEUnconfirmed          = "wse_unconfirmed"
	WarningAuditOverdue            = "audit_overdue"

	TrackStarter  = "starter"
	TrackFollowUp = "follow_up"
	TrackStandard = "standard"

	// The plan's audits: AuditFollowUp and AuditRenewal are also choices
	// of audit_kind (questions.go), with the same values.
	AuditStarter  = "starter"
	AuditStandard = "standard"

	// The plan's documents (docs/rules.md, "The audit plan"; docs/rules.md, facts §6).
	DocActivityDescription   = "activity_description"
	DocArticlesOfAssociation = "articles_of_association"
	DocRegisteredOffices     = "registered_offices"
	DocLegalResidence        = "legal_residence"
	DocDirectorsStatement    = "directors_statement"
	DocAnnualAccounts        = "annual_accounts"
	DocIncomeStatements      = "income_statements"
	DocProjectFiles          = "project_files"
	DocProjectList24Months   = "project_list_24_months"
	DocDossierList5Years     = "dossier_list_5_years"
	DocExperienceEvidence    = "experience_evidence"
	DocSatisfactionResults   = "satisfaction_results"
	DocExemptionEvidence     = "exemption_evidence"
	DocIndicatorNotes        = "indicator_notes"

	RequirementActivity     = "activity"
	RequirementExperience   = "experience"
	RequirementSatisfaction = "satisfaction"
	RequirementKnowledge    = "knowledge"
	RequirementIntegrity    = "integrity"

	StatusReady         = "ready"
	StatusPartly        = "partly"
	StatusNotReady      = "not_ready"
	StatusUnknown       = "unknown"
	StatusExemptStarter = "exempt_starter"

	ExemptionISO9001 = "iso9001"
	ExemptionQfor    = "qfor"
	ExemptionWSE     = "wse"
	ExemptionITAA    = "itaa"
	ExemptionIBR     = "ibr"

	StepGetUserRight        = "get_user_right"
	StepRegisterOnline      = "register_online"
	StepSignDeclaration     = "sign_declaration"
	StepPrepareRequirements = "prepare_requirements"
	StepRequestAudit        = "request_audit"
)

// Every code Evaluate can produce, in the order it produces them, for the
// check that each has words in every language and for the questionnaire.
// They are copies for reading: Evaluate does not consult them.
var (
	Verdicts = []string{VerdictNotEligible, VerdictIncomplete, VerdictPrepare, VerdictReady}
	Blockers = []string{
		BlockerAuditBody, BlockerNoEnterpriseNumber, BlockerInvalidEnterpriseNumber,
		BlockerNoSEPAAccount, BlockerInvalidIBAN, BlockerNoService, BlockerNoSubsidisedService,
		BlockerNoTheme,
	}
	Warnings = []string{
		WarningAdviceNotSubsidised, WarningAdviceCybersecurityOnly, WarningIntegrityReview,
		WarningWSEUnconfirmed, WarningAuditOverdue,
	}
	Tracks         = []string{TrackStarter, TrackFollowUp, TrackStandard}
	RequirementIDs = []string{
		RequirementActivity, RequirementExperience, RequirementSatisfaction,
		RequirementKnowledge, RequirementIntegrity,
	}
	Statuses   = []string{StatusReady, StatusPartly, StatusNotReady, StatusUnknown, StatusExemptStarter}
	Exemptions = []string{ExemptionISO9001, ExemptionQfor, ExemptionWSE, ExemptionITAA, ExemptionIBR}
	Steps      = []string{
		StepGetUserRight, StepRegisterOnline, StepSignDeclaration,
		StepPrepareRequirements, StepRequestAudit,
	}
	Audits    = []string{AuditStarter, AuditFollowUp, AuditStandard, AuditRenewal}
	Documents = []string{
		DocActivityDescription, DocArticlesOfAssociation, DocRegisteredOffices,
		DocLegalResidence, DocDirectorsStatement, DocAnnualAccounts, DocIncomeStatements,
		DocProjectFiles, DocProjectList24Months, DocDossierList5Years,
		DocExperienceEvidence, DocSatisfactionResults, DocExemptionEvidence,
		DocIndicatorNotes,
	}
)
