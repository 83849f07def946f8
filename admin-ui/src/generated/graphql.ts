/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What an audit event was done to. */
export type AuditTargetKind =
  | 'CATEGORY'
  | 'PAGE'
  | 'QUESTION'
  | 'USER'
  | 'WEBHOOK';

/** One change chosen for publishing, at the version it was reviewed. */
export type ChangeToPublish = {
  id: string;
  kind: UnpublishedKind;
  version: number;
};

export type CreateCategoryInput = {
  pageId: string;
  /** Made from the title if left out. */
  slug?: string | null | undefined;
  /** 1 to 200 characters. */
  title: string;
};

export type CreatePageInput = {
  /** Markdown. */
  footer?: string | null | undefined;
  /** Markdown. */
  intro?: string | null | undefined;
  /** Made from the title if left out. */
  slug?: string | null | undefined;
  /** 1 to 200 characters. */
  title: string;
};

/** A new question; it starts as a draft at the end of its category. */
export type CreateQuestionInput = {
  /** Markdown, 1 to 20,000 characters. */
  answer: string;
  categoryId: string;
  /** Plain text, 1 to 500 characters. */
  question: string;
  /** Lower-case letters, numbers and hyphens, unique on the page; made from the question if left out. */
  slug?: string | null | undefined;
};

export type CreateUserInput = {
  displayName: string;
  email: string;
  /** At least 12 characters. */
  password: string;
  role: Role;
};

export type CreateWebhookInput = {
  /** Up to 200 characters. */
  description?: string | null | undefined;
  /** At least one. */
  events: Array<WebhookEvent>;
  /** A full http:// or https:// address. */
  url: string;
};

export type DiffKind =
  /** Only in the later revision. */
  | 'ADDED'
  /** Only in the earlier revision. */
  | 'REMOVED'
  /** In both revisions. */
  | 'SAME';

/** Where a page is in its life. */
export type PageStatus =
  /** Being prepared; only signed-in staff can see it. */
  | 'DRAFT'
  /** Public. */
  | 'LIVE'
  /** Withdrawn: answers with its retirement notice and no questions. */
  | 'RETIRED';

export type PublishChangesInput = {
  /** What changed, for readers: plain text, up to 300 characters. */
  changeNote?: string | null | undefined;
  /** The changes to publish, from `Page.unpublishedChanges`. */
  items: Array<ChangeToPublish>;
  pageId: string;
};

/** Where a question is in its life. */
export type QuestionStatus =
  /** Hidden from the public, kept, and restorable. */
  | 'ARCHIVED'
  /** Never published, or unpublished; only signed-in staff can see it. */
  | 'DRAFT'
  /** Public: readers see the last published text. */
  | 'PUBLISHED';

/** What a review is of. */
export type ReviewItemType =
  | 'PAGE'
  | 'QUESTION';

/** Where an item stands in review. */
export type ReviewState =
  /** Sent for review; waiting for a publisher. */
  | 'IN_REVIEW'
  /** Sent back to its editor with a comment. */
  | 'SENT_BACK';

/** What happened to make a revision. */
export type RevisionAction =
  /** Archived by a person. */
  | 'ARCHIVED'
  /** Not known: kept before revisions said what happened. */
  | 'CHANGED'
  /** Created. */
  | 'CREATED'
  /** Archived when its expiry time came. */
  | 'EXPIRED'
  /** Written by an import. */
  | 'IMPORTED'
  /** Moved to another place or category. */
  | 'MOVED'
  /** Published by a person. */
  | 'PUBLISHED'
  /** Published when its publish time came. */
  | 'PUBLISHED_ON_SCHEDULE'
  /** A retired page brought back. */
  | 'REINSTATED'
  /** Brought back from the archive. */
  | 'RESTORED'
  /** A page retired. */
  | 'RETIRED'
  /** A page's scheduled retirement cancelled. */
  | 'RETIREMENT_CANCELLED'
  /** A page's retirement scheduled. */
  | 'RETIREMENT_SCHEDULED'
  /** Edited and saved. */
  | 'SAVED'
  /** Its publish or expiry time set or cleared. */
  | 'SCHEDULED'
  /** Sent back to its editor by a reviewer. */
  | 'SENT_BACK'
  /** Sent to publishers for review. */
  | 'SENT_FOR_REVIEW'
  /** A page set to draft or live. */
  | 'STATUS_CHANGED'
  /** Taken back to draft. */
  | 'UNPUBLISHED'
  /** An earlier version's text brought back. */
  | 'VERSION_RESTORED';

/** The kind of item a revision is of. */
export type RevisionItemType =
  | 'CATEGORY'
  | 'PAGE'
  | 'QUESTION';

/** What a member of staff may do. */
export type Role =
  /** Also manages users, pages and the audit log. */
  | 'ADMIN'
  /** Drafts and edits questions and answers. */
  | 'EDITOR'
  /** Also publishes, unpublishes, archives, restores and deletes. */
  | 'PUBLISHER';

/** Where this session stands in signing in. */
export type SignInStep =
  /**
   * The password was right, and this account must set up an
   * authenticator app before anything else (`beginTwoFactorEnrolment`,
   * then `confirmTwoFactorEnrolment`), within 30 minutes. Until then
   * every other operation but signing out is refused with `FORBIDDEN`.
   */
  | 'ENROL_SECOND_FACTOR'
  /**
   * The password was right; the code from the authenticator app, or a
   * recovery code, comes next (`signInSecondFactor`), within 5 minutes.
   * Until then the session can do nothing a signed-out one cannot.
   */
  | 'SECOND_FACTOR'
  /** Signed in. */
  | 'SIGNED_IN'
  /** Nobody is signed in. */
  | 'SIGNED_OUT';

/** What kind of change an unpublished item is. */
export type UnpublishedKind =
  /** A category's title, address and place among the categories. */
  | 'CATEGORY'
  /**
   * Where the questions readers see stand (category, place, address);
   * its id is the page's.
   */
  | 'ORDER'
  /** The page's title, introduction and footer; its id is the page's. */
  | 'PAGE_TEXT'
  /** A question's text, or its first publication. */
  | 'QUESTION';

export type UpdateCategoryInput = {
  slug?: string | null | undefined;
  title?: string | null | undefined;
};

/** Editors may change the text; status needs a publisher; slug needs an admin. */
export type UpdatePageInput = {
  footer?: string | null | undefined;
  intro?: string | null | undefined;
  slug?: string | null | undefined;
  /** DRAFT or LIVE. */
  status?: PageStatus | null | undefined;
  title?: string | null | undefined;
};

/** Changes to a question's working copy. Leave out what stays the same. */
export type UpdateQuestionInput = {
  /** Markdown, 1 to 20,000 characters. */
  answer?: string | null | undefined;
  /** Why, kept with the revision (up to 500 characters). */
  note?: string | null | undefined;
  /** Plain text, 1 to 500 characters. */
  question?: string | null | undefined;
  slug?: string | null | undefined;
};

/** Leave out what stays the same. */
export type UpdateWebhookInput = {
  active?: boolean | null | undefined;
  /** An empty description removes it. */
  description?: string | null | undefined;
  events?: Array<WebhookEvent> | null | undefined;
  url?: string | null | undefined;
};

/** Where one delivery of an event to a webhook stands. */
export type WebhookDeliveryStatus =
  /** The receiver answered with a 2xx status. */
  | 'DELIVERED'
  /** Every attempt failed; it can be sent again by hand. */
  | 'FAILED'
  /** Waiting for its first attempt or for a retry. */
  | 'PENDING';

/** Something that happened which a webhook can be told about. */
export type WebhookEvent =
  /**
   * A page's working copy was published: its text, its categories'
   * titles and order, and where its questions stand.
   */
  | 'PAGE_PUBLISHED'
  /** A page was retired, by hand or on schedule. */
  | 'PAGE_RETIRED'
  /** A question was archived, by hand or when its expiry time came. */
  | 'QUESTION_ARCHIVED'
  /** A question was published (by hand or on schedule), or its new text was. */
  | 'QUESTION_PUBLISHED'
  /** A published question went back to draft. */
  | 'QUESTION_UNPUBLISHED';

export type AuditEventsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  actorId?: string | null | undefined;
  action?: string | null | undefined;
  since?: string | null | undefined;
  until?: string | null | undefined;
}>;


export type AuditEventsQuery = { auditEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, occurredAt: string, action: string, actorName: string, targetType: string | null, targetId: string | null, detail: string, clientAddress: string | null, actor: { id: string } | null, target: { kind: AuditTargetKind, id: string, title: string | null, pageSlug: string | null } | null }> } };

export type AuditFiltersQueryVariables = Exact<{ [key: string]: never; }>;


export type AuditFiltersQuery = { auditActions: Array<string>, users: Array<{ id: string, displayName: string, email: string }> };

export type CurrentUserFragment = { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, version: number, can: { editContent: boolean, publish: boolean, managePages: boolean, manageUsers: boolean, manageWebhooks: boolean } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { signInStep: SignInStep, me: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, version: number, can: { editContent: boolean, publish: boolean, managePages: boolean, manageUsers: boolean, manageWebhooks: boolean } } | null };

export type SignInMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type SignInMutation = { signIn: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, version: number, can: { editContent: boolean, publish: boolean, managePages: boolean, manageUsers: boolean, manageWebhooks: boolean } } | null };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut: boolean };

export type ChangePasswordMutationVariables = Exact<{
  currentPassword: string;
  newPassword: string;
}>;


export type ChangePasswordMutation = { changePassword: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, version: number, can: { editContent: boolean, publish: boolean, managePages: boolean, manageUsers: boolean, manageWebhooks: boolean } } };

export type CompleteSetupMutationVariables = Exact<{
  token: string;
  email: string;
  displayName: string;
  password: string;
}>;


export type CompleteSetupMutation = { completeSetup: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, version: number, can: { editContent: boolean, publish: boolean, managePages: boolean, manageUsers: boolean, manageWebhooks: boolean } } | null };

export type SetupLinkUsableQueryVariables = Exact<{
  token: string;
}>;


export type SetupLinkUsableQuery = { setupLinkUsable: boolean };

export type SignInStepQueryVariables = Exact<{ [key: string]: never; }>;


export type SignInStepQuery = { signInStep: SignInStep };

export type SignInSecondFactorMutationVariables = Exact<{
  code: string;
}>;


export type SignInSecondFactorMutation = { signInSecondFactor: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, version: number, can: { editContent: boolean, publish: boolean, managePages: boolean, manageUsers: boolean, manageWebhooks: boolean } } };

export type TwoFactorStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type TwoFactorStatusQuery = { signInStep: SignInStep, me: { id: string, twoFactorEnabled: boolean | null, recoveryCodesLeft: number | null } | null };

export type BeginTwoFactorEnrolmentMutationVariables = Exact<{ [key: string]: never; }>;


export type BeginTwoFactorEnrolmentMutation = { beginTwoFactorEnrolment: { secret: string, qrCodeSvg: string } };

export type ConfirmTwoFactorEnrolmentMutationVariables = Exact<{
  code: string;
}>;


export type ConfirmTwoFactorEnrolmentMutation = { confirmTwoFactorEnrolment: { recoveryCodes: Array<string>, user: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, version: number, can: { editContent: boolean, publish: boolean, managePages: boolean, manageUsers: boolean, manageWebhooks: boolean } } } };

export type CategoryFieldsFragment = { id: string, slug: string, title: string, position: number, archived: boolean, version: number, hasUnpublishedChanges: boolean };

export type CreateCategoryMutationVariables = Exact<{
  input: CreateCategoryInput;
}>;


export type CreateCategoryMutation = { createCategory: { id: string, slug: string, title: string, position: number, archived: boolean, version: number, hasUnpublishedChanges: boolean } };

export type UpdateCategoryMutationVariables = Exact<{
  id: string;
  version: number;
  input: UpdateCategoryInput;
}>;


export type UpdateCategoryMutation = { updateCategory: { id: string, slug: string, title: string, position: number, archived: boolean, version: number, hasUnpublishedChanges: boolean } };

export type MoveCategoryMutationVariables = Exact<{
  id: string;
  version: number;
  position: number;
}>;


export type MoveCategoryMutation = { moveCategory: { id: string, slug: string, title: string, position: number, archived: boolean, version: number, hasUnpublishedChanges: boolean } };

export type ArchiveCategoryMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type ArchiveCategoryMutation = { archiveCategory: { id: string, slug: string, title: string, position: number, archived: boolean, version: number, hasUnpublishedChanges: boolean } };

export type RestoreCategoryMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type RestoreCategoryMutation = { restoreCategory: { id: string, slug: string, title: string, position: number, archived: boolean, version: number, hasUnpublishedChanges: boolean } };

export type DeleteCategoryMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type DeleteCategoryMutation = { deleteCategory: { id: string, title: string } };

export type RevisionFieldsFragment = { id: string, version: number, createdAt: string, note: string | null, action: RevisionAction, live: boolean, question: string | null, answer: string | null, author: { id: string, displayName: string } | null };

export type QuestionHistoryQueryVariables = Exact<{
  id: string;
  first: number;
  after?: string | null | undefined;
}>;


export type QuestionHistoryQuery = { question: { id: string, question: string, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, revisions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, version: number, createdAt: string, note: string | null, action: RevisionAction, live: boolean, question: string | null, answer: string | null, author: { id: string, displayName: string } | null }> } } | null };

export type QuestionDiffQueryVariables = Exact<{
  id: string;
  from: string;
  to: string;
}>;


export type QuestionDiffQuery = { question: { id: string, diff: { identical: boolean, question: Array<{ kind: DiffKind, text: string }>, answer: Array<{ kind: DiffKind, text: string }> } } | null };

export type RestoreRevisionMutationVariables = Exact<{
  questionId: string;
  version: number;
  revisionId: string;
}>;


export type RestoreRevisionMutation = { restoreRevision: { id: string, version: number, status: QuestionStatus } };

export type DiffFieldsFragment = { identical: boolean, question: Array<{ kind: DiffKind, text: string }>, answer: Array<{ kind: DiffKind, text: string }> };

export type QuestionChangesQueryVariables = Exact<{
  id: string;
}>;


export type QuestionChangesQuery = { question: { id: string, question: string, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, unpublishedDiff: { identical: boolean, question: Array<{ kind: DiffKind, text: string }>, answer: Array<{ kind: DiffKind, text: string }> } | null } | null };

export type PageHistoryQueryVariables = Exact<{
  slug: string;
  first: number;
  after?: string | null | undefined;
}>;


export type PageHistoryQuery = { page: { id: string, slug: string, title: string, status: PageStatus, history: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, version: number, createdAt: string, note: string | null, action: RevisionAction, itemType: RevisionItemType, itemId: string, title: string | null, position: number | null, author: { id: string, displayName: string } | null }> } } | null };

export type PageChangesQueryVariables = Exact<{
  slug: string;
}>;


export type PageChangesQuery = { page: { id: string, slug: string, title: string, status: PageStatus, unpublishedDiff: { identical: boolean, title: Array<{ kind: DiffKind, text: string }>, intro: Array<{ kind: DiffKind, text: string }>, footer: Array<{ kind: DiffKind, text: string }> } | null, categories: Array<{ id: string, title: string, questions: Array<{ id: string, question: string, status: QuestionStatus, hasUnpublishedChanges: boolean, unpublishedDiff: { identical: boolean, question: Array<{ kind: DiffKind, text: string }>, answer: Array<{ kind: DiffKind, text: string }> } | null }> }> } | null };

export type PagesQueryVariables = Exact<{ [key: string]: never; }>;


export type PagesQuery = { pages: Array<{ id: string, slug: string, title: string, status: PageStatus, updatedAt: string, lastChangedAt: string | null }> };

export type PageSettingsFragment = { id: string, slug: string, title: string, intro: string, footer: string, status: PageStatus, retirementNotice: string | null, replacementUrl: string | null, redirectsToReplacement: boolean, retiredAt: string | null, retireAt: string | null, updatedAt: string, lastChangedAt: string | null, version: number, hasUnpublishedChanges: boolean, viewerCan: { edit: boolean, publish: boolean, changeSlug: boolean, retire: boolean } };

export type PageQuestionFragment = { id: string, slug: string, question: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean };

export type PageCategoryFragment = { id: string, slug: string, title: string, position: number, archived: boolean, version: number, hasUnpublishedChanges: boolean, questions: Array<{ id: string, slug: string, question: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean }> };

export type PageQueryVariables = Exact<{
  slug: string;
}>;


export type PageQuery = { page: { id: string, slug: string, title: string, intro: string, footer: string, status: PageStatus, retirementNotice: string | null, replacementUrl: string | null, redirectsToReplacement: boolean, retiredAt: string | null, retireAt: string | null, updatedAt: string, lastChangedAt: string | null, version: number, hasUnpublishedChanges: boolean, categories: Array<{ id: string, slug: string, title: string, position: number, archived: boolean, version: number, hasUnpublishedChanges: boolean, questions: Array<{ id: string, slug: string, question: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean }> }>, viewerCan: { edit: boolean, publish: boolean, changeSlug: boolean, retire: boolean } } | null };

export type OutlineQueryVariables = Exact<{ [key: string]: never; }>;


export type OutlineQuery = { pages: Array<{ id: string, slug: string, title: string, status: PageStatus, categories: Array<{ id: string, title: string, archived: boolean, questions: Array<{ id: string }> }> }> };

export type CreatePageMutationVariables = Exact<{
  input: CreatePageInput;
}>;


export type CreatePageMutation = { createPage: { id: string, slug: string, title: string, intro: string, footer: string, status: PageStatus, retirementNotice: string | null, replacementUrl: string | null, redirectsToReplacement: boolean, retiredAt: string | null, retireAt: string | null, updatedAt: string, lastChangedAt: string | null, version: number, hasUnpublishedChanges: boolean, viewerCan: { edit: boolean, publish: boolean, changeSlug: boolean, retire: boolean } } };

export type UpdatePageMutationVariables = Exact<{
  id: string;
  version: number;
  input: UpdatePageInput;
}>;


export type UpdatePageMutation = { updatePage: { id: string, slug: string, title: string, intro: string, footer: string, status: PageStatus, retirementNotice: string | null, replacementUrl: string | null, redirectsToReplacement: boolean, retiredAt: string | null, retireAt: string | null, updatedAt: string, lastChangedAt: string | null, version: number, hasUnpublishedChanges: boolean, viewerCan: { edit: boolean, publish: boolean, changeSlug: boolean, retire: boolean } } };

export type RetirePageMutationVariables = Exact<{
  id: string;
  version: number;
  notice: string;
  replacementUrl?: string | null | undefined;
  redirect: boolean;
}>;


export type RetirePageMutation = { retirePage: { id: string, slug: string, title: string, intro: string, footer: string, status: PageStatus, retirementNotice: string | null, replacementUrl: string | null, redirectsToReplacement: boolean, retiredAt: string | null, retireAt: string | null, updatedAt: string, lastChangedAt: string | null, version: number, hasUnpublishedChanges: boolean, viewerCan: { edit: boolean, publish: boolean, changeSlug: boolean, retire: boolean } } };

export type ScheduleRetirementMutationVariables = Exact<{
  id: string;
  version: number;
  retireAt: string;
  notice: string;
  replacementUrl?: string | null | undefined;
  redirect: boolean;
}>;


export type ScheduleRetirementMutation = { scheduleRetirement: { id: string, slug: string, title: string, intro: string, footer: string, status: PageStatus, retirementNotice: string | null, replacementUrl: string | null, redirectsToReplacement: boolean, retiredAt: string | null, retireAt: string | null, updatedAt: string, lastChangedAt: string | null, version: number, hasUnpublishedChanges: boolean, viewerCan: { edit: boolean, publish: boolean, changeSlug: boolean, retire: boolean } } };

export type CancelRetirementMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type CancelRetirementMutation = { scheduleRetirement: { id: string, slug: string, title: string, intro: string, footer: string, status: PageStatus, retirementNotice: string | null, replacementUrl: string | null, redirectsToReplacement: boolean, retiredAt: string | null, retireAt: string | null, updatedAt: string, lastChangedAt: string | null, version: number, hasUnpublishedChanges: boolean, viewerCan: { edit: boolean, publish: boolean, changeSlug: boolean, retire: boolean } } };

export type ReinstatePageMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type ReinstatePageMutation = { reinstatePage: { id: string, slug: string, title: string, intro: string, footer: string, status: PageStatus, retirementNotice: string | null, replacementUrl: string | null, redirectsToReplacement: boolean, retiredAt: string | null, retireAt: string | null, updatedAt: string, lastChangedAt: string | null, version: number, hasUnpublishedChanges: boolean, viewerCan: { edit: boolean, publish: boolean, changeSlug: boolean, retire: boolean } } };

export type PublishPageMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type PublishPageMutation = { publishPage: { id: string, slug: string, title: string, intro: string, footer: string, status: PageStatus, retirementNotice: string | null, replacementUrl: string | null, redirectsToReplacement: boolean, retiredAt: string | null, retireAt: string | null, updatedAt: string, lastChangedAt: string | null, version: number, hasUnpublishedChanges: boolean, viewerCan: { edit: boolean, publish: boolean, changeSlug: boolean, retire: boolean } } };

export type PageReviewQueryVariables = Exact<{
  slug: string;
}>;


export type PageReviewQuery = { page: { id: string, slug: string, title: string, status: PageStatus, viewerCan: { publish: boolean }, unpublishedChanges: Array<{ kind: UnpublishedKind, id: string, version: number, title: string, summary: string, changedAt: string, fields: Array<{ label: string, diff: Array<{ kind: DiffKind, text: string }> }>, changedBy: { displayName: string } | null }> } | null };

export type PublishChangesMutationVariables = Exact<{
  input: PublishChangesInput;
}>;


export type PublishChangesMutation = { publishChanges: { id: string, version: number } };

export type QuestionFieldsFragment = { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } };

export type QuestionQueryVariables = Exact<{
  id: string;
}>;


export type QuestionQuery = { question: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } | null };

export type RenderMarkdownQueryVariables = Exact<{
  markdown: string;
}>;


export type RenderMarkdownQuery = { renderMarkdown: string };

export type CreateQuestionMutationVariables = Exact<{
  input: CreateQuestionInput;
}>;


export type CreateQuestionMutation = { createQuestion: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } };

export type UpdateQuestionMutationVariables = Exact<{
  id: string;
  version: number;
  input: UpdateQuestionInput;
}>;


export type UpdateQuestionMutation = { updateQuestion: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } };

export type MoveQuestionMutationVariables = Exact<{
  id: string;
  version: number;
  categoryId: string;
  position: number;
}>;


export type MoveQuestionMutation = { moveQuestion: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } };

export type PublishQuestionMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type PublishQuestionMutation = { publishQuestion: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } };

export type UnpublishQuestionMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type UnpublishQuestionMutation = { unpublishQuestion: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } };

export type ArchiveQuestionMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type ArchiveQuestionMutation = { archiveQuestion: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } };

export type RestoreQuestionMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type RestoreQuestionMutation = { restoreQuestion: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } };

export type DeleteQuestionMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type DeleteQuestionMutation = { deleteQuestion: { id: string, question: string } };

export type ReviewFieldsFragment = { id: string, itemType: ReviewItemType, state: ReviewState, message: string | null, sentAt: string, sentVersion: number, comment: string | null, returnedAt: string | null, changedSinceSent: boolean, sentBy: { displayName: string } | null, returnedBy: { displayName: string } | null };

export type QuestionReviewQueryVariables = Exact<{
  id: string;
}>;


export type QuestionReviewQuery = { question: { id: string, version: number, status: QuestionStatus, hasUnpublishedChanges: boolean, review: { id: string, itemType: ReviewItemType, state: ReviewState, message: string | null, sentAt: string, sentVersion: number, comment: string | null, returnedAt: string | null, changedSinceSent: boolean, sentBy: { displayName: string } | null, returnedBy: { displayName: string } | null } | null } | null };

export type SubmitForReviewMutationVariables = Exact<{
  id: string;
  version: number;
  message?: string | null | undefined;
}>;


export type SubmitForReviewMutation = { submitForReview: { id: string } };

export type SendBackMutationVariables = Exact<{
  id: string;
  version: number;
  comment: string;
}>;


export type SendBackMutation = { sendBack: { id: string } };

export type PageReviewStateQueryVariables = Exact<{
  slug: string;
}>;


export type PageReviewStateQuery = { page: { id: string, version: number, hasUnpublishedChanges: boolean, review: { id: string, itemType: ReviewItemType, state: ReviewState, message: string | null, sentAt: string, sentVersion: number, comment: string | null, returnedAt: string | null, changedSinceSent: boolean, sentBy: { displayName: string } | null, returnedBy: { displayName: string } | null } | null } | null };

export type SubmitPageForReviewMutationVariables = Exact<{
  id: string;
  version: number;
  message?: string | null | undefined;
}>;


export type SubmitPageForReviewMutation = { submitPageForReview: { id: string } };

export type SendPageBackMutationVariables = Exact<{
  id: string;
  version: number;
  comment: string;
}>;


export type SendPageBackMutation = { sendPageBack: { id: string } };

export type ReviewQueueQueryVariables = Exact<{ [key: string]: never; }>;


export type ReviewQueueQuery = { reviewQueue: Array<{ id: string, itemType: ReviewItemType, state: ReviewState, message: string | null, sentAt: string, sentVersion: number, comment: string | null, returnedAt: string | null, changedSinceSent: boolean, question: { id: string, question: string, unpublishedDiff: { identical: boolean, question: Array<{ kind: DiffKind, text: string }>, answer: Array<{ kind: DiffKind, text: string }> } | null } | null, page: { id: string, slug: string, title: string } | null, sentBy: { displayName: string } | null, returnedBy: { displayName: string } | null }> };

export type ReviewCountQueryVariables = Exact<{ [key: string]: never; }>;


export type ReviewCountQuery = { reviewCount: number };

export type MyWorkQueryVariables = Exact<{ [key: string]: never; }>;


export type MyWorkQuery = { myWork: { drafts: Array<{ id: string, question: string, status: QuestionStatus, category: { title: string } }>, sent: Array<{ id: string, itemType: ReviewItemType, state: ReviewState, message: string | null, sentAt: string, sentVersion: number, comment: string | null, returnedAt: string | null, changedSinceSent: boolean, question: { id: string, question: string } | null, page: { slug: string, title: string } | null, sentBy: { displayName: string } | null, returnedBy: { displayName: string } | null }>, returned: Array<{ id: string, itemType: ReviewItemType, state: ReviewState, message: string | null, sentAt: string, sentVersion: number, comment: string | null, returnedAt: string | null, changedSinceSent: boolean, question: { id: string, question: string } | null, page: { slug: string, title: string } | null, sentBy: { displayName: string } | null, returnedBy: { displayName: string } | null }> } };

export type QuestionScheduleFragment = { publishAt: string | null, expireAt: string | null };

export type QuestionWithScheduleQueryVariables = Exact<{
  id: string;
}>;


export type QuestionWithScheduleQuery = { question: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, publishAt: string | null, expireAt: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } | null };

export type ScheduleQuestionMutationVariables = Exact<{
  id: string;
  version: number;
  publishAt?: string | null | undefined;
  expireAt?: string | null | undefined;
}>;


export type ScheduleQuestionMutation = { scheduleQuestion: { id: string, slug: string, question: string, answer: string, answerHtml: string, position: number, status: QuestionStatus, version: number, hasUnpublishedChanges: boolean, publishedAt: string | null, updatedAt: string, createdAt: string, publishedQuestion: string | null, publishedAnswer: string | null, publishAt: string | null, expireAt: string | null, viewerCan: { edit: boolean, publish: boolean, unpublish: boolean, archive: boolean, restore: boolean, delete: boolean, schedule: boolean }, category: { id: string, title: string } } };

export type UserFieldsFragment = { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, twoFactorEnabled: boolean | null, version: number };

export type UsersQueryVariables = Exact<{ [key: string]: never; }>;


export type UsersQuery = { users: Array<{ id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, twoFactorEnabled: boolean | null, version: number }> };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserMutation = { createUser: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, twoFactorEnabled: boolean | null, version: number } };

export type DisableUserMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type DisableUserMutation = { disableUser: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, twoFactorEnabled: boolean | null, version: number } };

export type EnableUserMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type EnableUserMutation = { enableUser: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, twoFactorEnabled: boolean | null, version: number } };

export type SetUserRoleMutationVariables = Exact<{
  id: string;
  version: number;
  role: Role;
}>;


export type SetUserRoleMutation = { setUserRole: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, twoFactorEnabled: boolean | null, version: number } };

export type ResetUserPasswordMutationVariables = Exact<{
  id: string;
  version: number;
  password: string;
}>;


export type ResetUserPasswordMutation = { resetUserPassword: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, twoFactorEnabled: boolean | null, version: number } };

export type ResetUserTwoFactorMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type ResetUserTwoFactorMutation = { resetUserTwoFactor: { id: string, email: string, displayName: string, role: Role, disabled: boolean, lastSignInAt: string | null, twoFactorEnabled: boolean | null, version: number } };

export type WebhookFieldsFragment = { id: string, url: string, events: Array<WebhookEvent>, description: string | null, active: boolean, createdAt: string, version: number };

export type WebhookDeliveryFieldsFragment = { id: string, event: WebhookEvent | null, eventId: string, status: WebhookDeliveryStatus, attempts: number, createdAt: string, lastAttemptAt: string | null, nextAttemptAt: string | null, lastStatusCode: number | null, lastError: string | null, deliveredAt: string | null };

export type WebhooksQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhooksQuery = { webhooks: Array<{ id: string, url: string, events: Array<WebhookEvent>, description: string | null, active: boolean, createdAt: string, version: number }> };

export type WebhookQueryVariables = Exact<{
  id: string;
  first: number;
  after?: string | null | undefined;
}>;


export type WebhookQuery = { webhook: { id: string, url: string, events: Array<WebhookEvent>, description: string | null, active: boolean, createdAt: string, version: number } | null, webhookDeliveries: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, event: WebhookEvent | null, eventId: string, status: WebhookDeliveryStatus, attempts: number, createdAt: string, lastAttemptAt: string | null, nextAttemptAt: string | null, lastStatusCode: number | null, lastError: string | null, deliveredAt: string | null }> } };

export type CreateWebhookMutationVariables = Exact<{
  input: CreateWebhookInput;
}>;


export type CreateWebhookMutation = { createWebhook: { secret: string, webhook: { id: string, url: string, events: Array<WebhookEvent>, description: string | null, active: boolean, createdAt: string, version: number } } };

export type UpdateWebhookMutationVariables = Exact<{
  id: string;
  version: number;
  input: UpdateWebhookInput;
}>;


export type UpdateWebhookMutation = { updateWebhook: { id: string, url: string, events: Array<WebhookEvent>, description: string | null, active: boolean, createdAt: string, version: number } };

export type RotateWebhookSecretMutationVariables = Exact<{
  id: string;
  version: number;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret: { secret: string, webhook: { id: string, url: string, events: Array<WebhookEvent>, description: string | null, active: boolean, createdAt: string, version: number } } };

export type DeleteWebhookMutationVariables = Exact<{
  id: string;
}>;


export type DeleteWebhookMutation = { deleteWebhook: { id: string } };

export type ResendWebhookDeliveryMutationVariables = Exact<{
  id: string;
}>;


export type ResendWebhookDeliveryMutation = { resendWebhookDelivery: { id: string, event: WebhookEvent | null, eventId: string, status: WebhookDeliveryStatus, attempts: number, createdAt: string, lastAttemptAt: string | null, nextAttemptAt: string | null, lastStatusCode: number | null, lastError: string | null, deliveredAt: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CurrentUserFragmentDoc = new TypedDocumentString(`
    fragment CurrentUser on User {
  id
  email
  displayName
  role
  disabled
  can {
    editContent
    publish
    managePages
    manageUsers
    manageWebhooks
  }
  lastSignInAt
  version
}
    `, {"fragmentName":"CurrentUser"}) as unknown as TypedDocumentString<CurrentUserFragment, unknown>;
export const CategoryFieldsFragmentDoc = new TypedDocumentString(`
    fragment CategoryFields on Category {
  id
  slug
  title
  position
  archived
  version
  hasUnpublishedChanges
}
    `, {"fragmentName":"CategoryFields"}) as unknown as TypedDocumentString<CategoryFieldsFragment, unknown>;
export const RevisionFieldsFragmentDoc = new TypedDocumentString(`
    fragment RevisionFields on Revision {
  id
  version
  createdAt
  note
  action
  live
  question
  answer
  author {
    id
    displayName
  }
}
    `, {"fragmentName":"RevisionFields"}) as unknown as TypedDocumentString<RevisionFieldsFragment, unknown>;
export const DiffFieldsFragmentDoc = new TypedDocumentString(`
    fragment DiffFields on RevisionDiff {
  identical
  question {
    kind
    text
  }
  answer {
    kind
    text
  }
}
    `, {"fragmentName":"DiffFields"}) as unknown as TypedDocumentString<DiffFieldsFragment, unknown>;
export const PageSettingsFragmentDoc = new TypedDocumentString(`
    fragment PageSettings on Page {
  id
  slug
  title
  intro
  footer
  status
  retirementNotice
  replacementUrl
  redirectsToReplacement
  retiredAt
  retireAt
  updatedAt
  lastChangedAt
  version
  hasUnpublishedChanges
  viewerCan {
    edit
    publish
    changeSlug
    retire
  }
}
    `, {"fragmentName":"PageSettings"}) as unknown as TypedDocumentString<PageSettingsFragment, unknown>;
export const PageQuestionFragmentDoc = new TypedDocumentString(`
    fragment PageQuestion on Question {
  id
  slug
  question
  position
  status
  version
  hasUnpublishedChanges
}
    `, {"fragmentName":"PageQuestion"}) as unknown as TypedDocumentString<PageQuestionFragment, unknown>;
export const PageCategoryFragmentDoc = new TypedDocumentString(`
    fragment PageCategory on Category {
  id
  slug
  title
  position
  archived
  version
  hasUnpublishedChanges
  questions {
    ...PageQuestion
  }
}
    fragment PageQuestion on Question {
  id
  slug
  question
  position
  status
  version
  hasUnpublishedChanges
}`, {"fragmentName":"PageCategory"}) as unknown as TypedDocumentString<PageCategoryFragment, unknown>;
export const QuestionFieldsFragmentDoc = new TypedDocumentString(`
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}
    `, {"fragmentName":"QuestionFields"}) as unknown as TypedDocumentString<QuestionFieldsFragment, unknown>;
export const ReviewFieldsFragmentDoc = new TypedDocumentString(`
    fragment ReviewFields on Review {
  id
  itemType
  state
  message
  sentAt
  sentVersion
  comment
  returnedAt
  changedSinceSent
  sentBy {
    displayName
  }
  returnedBy {
    displayName
  }
}
    `, {"fragmentName":"ReviewFields"}) as unknown as TypedDocumentString<ReviewFieldsFragment, unknown>;
export const QuestionScheduleFragmentDoc = new TypedDocumentString(`
    fragment QuestionSchedule on Question {
  publishAt
  expireAt
}
    `, {"fragmentName":"QuestionSchedule"}) as unknown as TypedDocumentString<QuestionScheduleFragment, unknown>;
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  email
  displayName
  role
  disabled
  lastSignInAt
  twoFactorEnabled
  version
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const WebhookFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookFields on Webhook {
  id
  url
  events
  description
  active
  createdAt
  version
}
    `, {"fragmentName":"WebhookFields"}) as unknown as TypedDocumentString<WebhookFieldsFragment, unknown>;
export const WebhookDeliveryFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  event
  eventId
  status
  attempts
  createdAt
  lastAttemptAt
  nextAttemptAt
  lastStatusCode
  lastError
  deliveredAt
}
    `, {"fragmentName":"WebhookDeliveryFields"}) as unknown as TypedDocumentString<WebhookDeliveryFieldsFragment, unknown>;
export const AuditEventsDocument = new TypedDocumentString(`
    query AuditEvents($first: Int!, $after: String, $actorId: ID, $action: String, $since: DateTime, $until: DateTime) {
  auditEvents(
    first: $first
    after: $after
    actorId: $actorId
    action: $action
    since: $since
    until: $until
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      occurredAt
      action
      actorName
      actor {
        id
      }
      targetType
      targetId
      target {
        kind
        id
        title
        pageSlug
      }
      detail
      clientAddress
    }
  }
}
    `) as unknown as TypedDocumentString<AuditEventsQuery, AuditEventsQueryVariables>;
export const AuditFiltersDocument = new TypedDocumentString(`
    query AuditFilters {
  auditActions
  users {
    id
    displayName
    email
  }
}
    `) as unknown as TypedDocumentString<AuditFiltersQuery, AuditFiltersQueryVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...CurrentUser
  }
  signInStep
}
    fragment CurrentUser on User {
  id
  email
  displayName
  role
  disabled
  can {
    editContent
    publish
    managePages
    manageUsers
    manageWebhooks
  }
  lastSignInAt
  version
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) {
    ...CurrentUser
  }
}
    fragment CurrentUser on User {
  id
  email
  displayName
  role
  disabled
  can {
    editContent
    publish
    managePages
    manageUsers
    manageWebhooks
  }
  lastSignInAt
  version
}`) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const SignOutDocument = new TypedDocumentString(`
    mutation SignOut {
  signOut
}
    `) as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
    ...CurrentUser
  }
}
    fragment CurrentUser on User {
  id
  email
  displayName
  role
  disabled
  can {
    editContent
    publish
    managePages
    manageUsers
    manageWebhooks
  }
  lastSignInAt
  version
}`) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const CompleteSetupDocument = new TypedDocumentString(`
    mutation CompleteSetup($token: String!, $email: String!, $displayName: String!, $password: String!) {
  completeSetup(
    token: $token
    email: $email
    displayName: $displayName
    password: $password
  ) {
    ...CurrentUser
  }
}
    fragment CurrentUser on User {
  id
  email
  displayName
  role
  disabled
  can {
    editContent
    publish
    managePages
    manageUsers
    manageWebhooks
  }
  lastSignInAt
  version
}`) as unknown as TypedDocumentString<CompleteSetupMutation, CompleteSetupMutationVariables>;
export const SetupLinkUsableDocument = new TypedDocumentString(`
    query SetupLinkUsable($token: String!) {
  setupLinkUsable(token: $token)
}
    `) as unknown as TypedDocumentString<SetupLinkUsableQuery, SetupLinkUsableQueryVariables>;
export const SignInStepDocument = new TypedDocumentString(`
    query SignInStep {
  signInStep
}
    `) as unknown as TypedDocumentString<SignInStepQuery, SignInStepQueryVariables>;
export const SignInSecondFactorDocument = new TypedDocumentString(`
    mutation SignInSecondFactor($code: String!) {
  signInSecondFactor(code: $code) {
    ...CurrentUser
  }
}
    fragment CurrentUser on User {
  id
  email
  displayName
  role
  disabled
  can {
    editContent
    publish
    managePages
    manageUsers
    manageWebhooks
  }
  lastSignInAt
  version
}`) as unknown as TypedDocumentString<SignInSecondFactorMutation, SignInSecondFactorMutationVariables>;
export const TwoFactorStatusDocument = new TypedDocumentString(`
    query TwoFactorStatus {
  me {
    id
    twoFactorEnabled
    recoveryCodesLeft
  }
  signInStep
}
    `) as unknown as TypedDocumentString<TwoFactorStatusQuery, TwoFactorStatusQueryVariables>;
export const BeginTwoFactorEnrolmentDocument = new TypedDocumentString(`
    mutation BeginTwoFactorEnrolment {
  beginTwoFactorEnrolment {
    secret
    qrCodeSvg
  }
}
    `) as unknown as TypedDocumentString<BeginTwoFactorEnrolmentMutation, BeginTwoFactorEnrolmentMutationVariables>;
export const ConfirmTwoFactorEnrolmentDocument = new TypedDocumentString(`
    mutation ConfirmTwoFactorEnrolment($code: String!) {
  confirmTwoFactorEnrolment(code: $code) {
    user {
      ...CurrentUser
    }
    recoveryCodes
  }
}
    fragment CurrentUser on User {
  id
  email
  displayName
  role
  disabled
  can {
    editContent
    publish
    managePages
    manageUsers
    manageWebhooks
  }
  lastSignInAt
  version
}`) as unknown as TypedDocumentString<ConfirmTwoFactorEnrolmentMutation, ConfirmTwoFactorEnrolmentMutationVariables>;
export const CreateCategoryDocument = new TypedDocumentString(`
    mutation CreateCategory($input: CreateCategoryInput!) {
  createCategory(input: $input) {
    ...CategoryFields
  }
}
    fragment CategoryFields on Category {
  id
  slug
  title
  position
  archived
  version
  hasUnpublishedChanges
}`) as unknown as TypedDocumentString<CreateCategoryMutation, CreateCategoryMutationVariables>;
export const UpdateCategoryDocument = new TypedDocumentString(`
    mutation UpdateCategory($id: ID!, $version: Int!, $input: UpdateCategoryInput!) {
  updateCategory(id: $id, version: $version, input: $input) {
    ...CategoryFields
  }
}
    fragment CategoryFields on Category {
  id
  slug
  title
  position
  archived
  version
  hasUnpublishedChanges
}`) as unknown as TypedDocumentString<UpdateCategoryMutation, UpdateCategoryMutationVariables>;
export const MoveCategoryDocument = new TypedDocumentString(`
    mutation MoveCategory($id: ID!, $version: Int!, $position: Int!) {
  moveCategory(id: $id, version: $version, position: $position) {
    ...CategoryFields
  }
}
    fragment CategoryFields on Category {
  id
  slug
  title
  position
  archived
  version
  hasUnpublishedChanges
}`) as unknown as TypedDocumentString<MoveCategoryMutation, MoveCategoryMutationVariables>;
export const ArchiveCategoryDocument = new TypedDocumentString(`
    mutation ArchiveCategory($id: ID!, $version: Int!) {
  archiveCategory(id: $id, version: $version) {
    ...CategoryFields
  }
}
    fragment CategoryFields on Category {
  id
  slug
  title
  position
  archived
  version
  hasUnpublishedChanges
}`) as unknown as TypedDocumentString<ArchiveCategoryMutation, ArchiveCategoryMutationVariables>;
export const RestoreCategoryDocument = new TypedDocumentString(`
    mutation RestoreCategory($id: ID!, $version: Int!) {
  restoreCategory(id: $id, version: $version) {
    ...CategoryFields
  }
}
    fragment CategoryFields on Category {
  id
  slug
  title
  position
  archived
  version
  hasUnpublishedChanges
}`) as unknown as TypedDocumentString<RestoreCategoryMutation, RestoreCategoryMutationVariables>;
export const DeleteCategoryDocument = new TypedDocumentString(`
    mutation DeleteCategory($id: ID!, $version: Int!) {
  deleteCategory(id: $id, version: $version) {
    id
    title
  }
}
    `) as unknown as TypedDocumentString<DeleteCategoryMutation, DeleteCategoryMutationVariables>;
export const QuestionHistoryDocument = new TypedDocumentString(`
    query QuestionHistory($id: ID!, $first: Int!, $after: String) {
  question(id: $id, includeDrafts: true) {
    id
    question
    status
    version
    hasUnpublishedChanges
    revisions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...RevisionFields
      }
    }
  }
}
    fragment RevisionFields on Revision {
  id
  version
  createdAt
  note
  action
  live
  question
  answer
  author {
    id
    displayName
  }
}`) as unknown as TypedDocumentString<QuestionHistoryQuery, QuestionHistoryQueryVariables>;
export const QuestionDiffDocument = new TypedDocumentString(`
    query QuestionDiff($id: ID!, $from: ID!, $to: ID!) {
  question(id: $id, includeDrafts: true) {
    id
    diff(fromRevisionId: $from, toRevisionId: $to) {
      identical
      question {
        kind
        text
      }
      answer {
        kind
        text
      }
    }
  }
}
    `) as unknown as TypedDocumentString<QuestionDiffQuery, QuestionDiffQueryVariables>;
export const RestoreRevisionDocument = new TypedDocumentString(`
    mutation RestoreRevision($questionId: ID!, $version: Int!, $revisionId: ID!) {
  restoreRevision(
    questionId: $questionId
    version: $version
    revisionId: $revisionId
  ) {
    id
    version
    status
  }
}
    `) as unknown as TypedDocumentString<RestoreRevisionMutation, RestoreRevisionMutationVariables>;
export const QuestionChangesDocument = new TypedDocumentString(`
    query QuestionChanges($id: ID!) {
  question(id: $id, includeDrafts: true) {
    id
    question
    status
    version
    hasUnpublishedChanges
    publishedAt
    unpublishedDiff {
      ...DiffFields
    }
  }
}
    fragment DiffFields on RevisionDiff {
  identical
  question {
    kind
    text
  }
  answer {
    kind
    text
  }
}`) as unknown as TypedDocumentString<QuestionChangesQuery, QuestionChangesQueryVariables>;
export const PageHistoryDocument = new TypedDocumentString(`
    query PageHistory($slug: String!, $first: Int!, $after: String) {
  page(slug: $slug, includeDrafts: true) {
    id
    slug
    title
    status
    history(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        version
        createdAt
        note
        action
        itemType
        itemId
        title
        position
        author {
          id
          displayName
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PageHistoryQuery, PageHistoryQueryVariables>;
export const PageChangesDocument = new TypedDocumentString(`
    query PageChanges($slug: String!) {
  page(slug: $slug, includeDrafts: true) {
    id
    slug
    title
    status
    unpublishedDiff {
      identical
      title {
        kind
        text
      }
      intro {
        kind
        text
      }
      footer {
        kind
        text
      }
    }
    categories {
      id
      title
      questions {
        id
        question
        status
        hasUnpublishedChanges
        unpublishedDiff {
          ...DiffFields
        }
      }
    }
  }
}
    fragment DiffFields on RevisionDiff {
  identical
  question {
    kind
    text
  }
  answer {
    kind
    text
  }
}`) as unknown as TypedDocumentString<PageChangesQuery, PageChangesQueryVariables>;
export const PagesDocument = new TypedDocumentString(`
    query Pages {
  pages(includeDrafts: true) {
    id
    slug
    title
    status
    updatedAt
    lastChangedAt
  }
}
    `) as unknown as TypedDocumentString<PagesQuery, PagesQueryVariables>;
export const PageDocument = new TypedDocumentString(`
    query Page($slug: String!) {
  page(slug: $slug, includeDrafts: true) {
    ...PageSettings
    categories {
      ...PageCategory
    }
  }
}
    fragment PageSettings on Page {
  id
  slug
  title
  intro
  footer
  status
  retirementNotice
  replacementUrl
  redirectsToReplacement
  retiredAt
  retireAt
  updatedAt
  lastChangedAt
  version
  hasUnpublishedChanges
  viewerCan {
    edit
    publish
    changeSlug
    retire
  }
}
fragment PageQuestion on Question {
  id
  slug
  question
  position
  status
  version
  hasUnpublishedChanges
}
fragment PageCategory on Category {
  id
  slug
  title
  position
  archived
  version
  hasUnpublishedChanges
  questions {
    ...PageQuestion
  }
}`) as unknown as TypedDocumentString<PageQuery, PageQueryVariables>;
export const OutlineDocument = new TypedDocumentString(`
    query Outline {
  pages(includeDrafts: true) {
    id
    slug
    title
    status
    categories {
      id
      title
      archived
      questions {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OutlineQuery, OutlineQueryVariables>;
export const CreatePageDocument = new TypedDocumentString(`
    mutation CreatePage($input: CreatePageInput!) {
  createPage(input: $input) {
    ...PageSettings
  }
}
    fragment PageSettings on Page {
  id
  slug
  title
  intro
  footer
  status
  retirementNotice
  replacementUrl
  redirectsToReplacement
  retiredAt
  retireAt
  updatedAt
  lastChangedAt
  version
  hasUnpublishedChanges
  viewerCan {
    edit
    publish
    changeSlug
    retire
  }
}`) as unknown as TypedDocumentString<CreatePageMutation, CreatePageMutationVariables>;
export const UpdatePageDocument = new TypedDocumentString(`
    mutation UpdatePage($id: ID!, $version: Int!, $input: UpdatePageInput!) {
  updatePage(id: $id, version: $version, input: $input) {
    ...PageSettings
  }
}
    fragment PageSettings on Page {
  id
  slug
  title
  intro
  footer
  status
  retirementNotice
  replacementUrl
  redirectsToReplacement
  retiredAt
  retireAt
  updatedAt
  lastChangedAt
  version
  hasUnpublishedChanges
  viewerCan {
    edit
    publish
    changeSlug
    retire
  }
}`) as unknown as TypedDocumentString<UpdatePageMutation, UpdatePageMutationVariables>;
export const RetirePageDocument = new TypedDocumentString(`
    mutation RetirePage($id: ID!, $version: Int!, $notice: String!, $replacementUrl: String, $redirect: Boolean!) {
  retirePage(
    id: $id
    version: $version
    notice: $notice
    replacementUrl: $replacementUrl
    redirect: $redirect
  ) {
    ...PageSettings
  }
}
    fragment PageSettings on Page {
  id
  slug
  title
  intro
  footer
  status
  retirementNotice
  replacementUrl
  redirectsToReplacement
  retiredAt
  retireAt
  updatedAt
  lastChangedAt
  version
  hasUnpublishedChanges
  viewerCan {
    edit
    publish
    changeSlug
    retire
  }
}`) as unknown as TypedDocumentString<RetirePageMutation, RetirePageMutationVariables>;
export const ScheduleRetirementDocument = new TypedDocumentString(`
    mutation ScheduleRetirement($id: ID!, $version: Int!, $retireAt: DateTime!, $notice: String!, $replacementUrl: String, $redirect: Boolean!) {
  scheduleRetirement(
    id: $id
    version: $version
    retireAt: $retireAt
    notice: $notice
    replacementUrl: $replacementUrl
    redirect: $redirect
  ) {
    ...PageSettings
  }
}
    fragment PageSettings on Page {
  id
  slug
  title
  intro
  footer
  status
  retirementNotice
  replacementUrl
  redirectsToReplacement
  retiredAt
  retireAt
  updatedAt
  lastChangedAt
  version
  hasUnpublishedChanges
  viewerCan {
    edit
    publish
    changeSlug
    retire
  }
}`) as unknown as TypedDocumentString<ScheduleRetirementMutation, ScheduleRetirementMutationVariables>;
export const CancelRetirementDocument = new TypedDocumentString(`
    mutation CancelRetirement($id: ID!, $version: Int!) {
  scheduleRetirement(id: $id, version: $version, retireAt: null) {
    ...PageSettings
  }
}
    fragment PageSettings on Page {
  id
  slug
  title
  intro
  footer
  status
  retirementNotice
  replacementUrl
  redirectsToReplacement
  retiredAt
  retireAt
  updatedAt
  lastChangedAt
  version
  hasUnpublishedChanges
  viewerCan {
    edit
    publish
    changeSlug
    retire
  }
}`) as unknown as TypedDocumentString<CancelRetirementMutation, CancelRetirementMutationVariables>;
export const ReinstatePageDocument = new TypedDocumentString(`
    mutation ReinstatePage($id: ID!, $version: Int!) {
  reinstatePage(id: $id, version: $version) {
    ...PageSettings
  }
}
    fragment PageSettings on Page {
  id
  slug
  title
  intro
  footer
  status
  retirementNotice
  replacementUrl
  redirectsToReplacement
  retiredAt
  retireAt
  updatedAt
  lastChangedAt
  version
  hasUnpublishedChanges
  viewerCan {
    edit
    publish
    changeSlug
    retire
  }
}`) as unknown as TypedDocumentString<ReinstatePageMutation, ReinstatePageMutationVariables>;
export const PublishPageDocument = new TypedDocumentString(`
    mutation PublishPage($id: ID!, $version: Int!) {
  publishPage(id: $id, version: $version) {
    ...PageSettings
  }
}
    fragment PageSettings on Page {
  id
  slug
  title
  intro
  footer
  status
  retirementNotice
  replacementUrl
  redirectsToReplacement
  retiredAt
  retireAt
  updatedAt
  lastChangedAt
  version
  hasUnpublishedChanges
  viewerCan {
    edit
    publish
    changeSlug
    retire
  }
}`) as unknown as TypedDocumentString<PublishPageMutation, PublishPageMutationVariables>;
export const PageReviewDocument = new TypedDocumentString(`
    query PageReview($slug: String!) {
  page(slug: $slug, includeDrafts: true) {
    id
    slug
    title
    status
    viewerCan {
      publish
    }
    unpublishedChanges {
      kind
      id
      version
      title
      summary
      fields {
        label
        diff {
          kind
          text
        }
      }
      changedBy {
        displayName
      }
      changedAt
    }
  }
}
    `) as unknown as TypedDocumentString<PageReviewQuery, PageReviewQueryVariables>;
export const PublishChangesDocument = new TypedDocumentString(`
    mutation PublishChanges($input: PublishChangesInput!) {
  publishChanges(input: $input) {
    id
    version
  }
}
    `) as unknown as TypedDocumentString<PublishChangesMutation, PublishChangesMutationVariables>;
export const QuestionDocument = new TypedDocumentString(`
    query Question($id: ID!) {
  question(id: $id, includeDrafts: true) {
    ...QuestionFields
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}`) as unknown as TypedDocumentString<QuestionQuery, QuestionQueryVariables>;
export const RenderMarkdownDocument = new TypedDocumentString(`
    query RenderMarkdown($markdown: String!) {
  renderMarkdown(markdown: $markdown)
}
    `) as unknown as TypedDocumentString<RenderMarkdownQuery, RenderMarkdownQueryVariables>;
export const CreateQuestionDocument = new TypedDocumentString(`
    mutation CreateQuestion($input: CreateQuestionInput!) {
  createQuestion(input: $input) {
    ...QuestionFields
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}`) as unknown as TypedDocumentString<CreateQuestionMutation, CreateQuestionMutationVariables>;
export const UpdateQuestionDocument = new TypedDocumentString(`
    mutation UpdateQuestion($id: ID!, $version: Int!, $input: UpdateQuestionInput!) {
  updateQuestion(id: $id, version: $version, input: $input) {
    ...QuestionFields
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}`) as unknown as TypedDocumentString<UpdateQuestionMutation, UpdateQuestionMutationVariables>;
export const MoveQuestionDocument = new TypedDocumentString(`
    mutation MoveQuestion($id: ID!, $version: Int!, $categoryId: ID!, $position: Int!) {
  moveQuestion(
    id: $id
    version: $version
    categoryId: $categoryId
    position: $position
  ) {
    ...QuestionFields
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}`) as unknown as TypedDocumentString<MoveQuestionMutation, MoveQuestionMutationVariables>;
export const PublishQuestionDocument = new TypedDocumentString(`
    mutation PublishQuestion($id: ID!, $version: Int!) {
  publishQuestion(id: $id, version: $version) {
    ...QuestionFields
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}`) as unknown as TypedDocumentString<PublishQuestionMutation, PublishQuestionMutationVariables>;
export const UnpublishQuestionDocument = new TypedDocumentString(`
    mutation UnpublishQuestion($id: ID!, $version: Int!) {
  unpublishQuestion(id: $id, version: $version) {
    ...QuestionFields
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}`) as unknown as TypedDocumentString<UnpublishQuestionMutation, UnpublishQuestionMutationVariables>;
export const ArchiveQuestionDocument = new TypedDocumentString(`
    mutation ArchiveQuestion($id: ID!, $version: Int!) {
  archiveQuestion(id: $id, version: $version) {
    ...QuestionFields
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}`) as unknown as TypedDocumentString<ArchiveQuestionMutation, ArchiveQuestionMutationVariables>;
export const RestoreQuestionDocument = new TypedDocumentString(`
    mutation RestoreQuestion($id: ID!, $version: Int!) {
  restoreQuestion(id: $id, version: $version) {
    ...QuestionFields
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}`) as unknown as TypedDocumentString<RestoreQuestionMutation, RestoreQuestionMutationVariables>;
export const DeleteQuestionDocument = new TypedDocumentString(`
    mutation DeleteQuestion($id: ID!, $version: Int!) {
  deleteQuestion(id: $id, version: $version) {
    id
    question
  }
}
    `) as unknown as TypedDocumentString<DeleteQuestionMutation, DeleteQuestionMutationVariables>;
export const QuestionReviewDocument = new TypedDocumentString(`
    query QuestionReview($id: ID!) {
  question(id: $id, includeDrafts: true) {
    id
    version
    status
    hasUnpublishedChanges
    review {
      ...ReviewFields
    }
  }
}
    fragment ReviewFields on Review {
  id
  itemType
  state
  message
  sentAt
  sentVersion
  comment
  returnedAt
  changedSinceSent
  sentBy {
    displayName
  }
  returnedBy {
    displayName
  }
}`) as unknown as TypedDocumentString<QuestionReviewQuery, QuestionReviewQueryVariables>;
export const SubmitForReviewDocument = new TypedDocumentString(`
    mutation SubmitForReview($id: ID!, $version: Int!, $message: String) {
  submitForReview(id: $id, version: $version, message: $message) {
    id
  }
}
    `) as unknown as TypedDocumentString<SubmitForReviewMutation, SubmitForReviewMutationVariables>;
export const SendBackDocument = new TypedDocumentString(`
    mutation SendBack($id: ID!, $version: Int!, $comment: String!) {
  sendBack(id: $id, version: $version, comment: $comment) {
    id
  }
}
    `) as unknown as TypedDocumentString<SendBackMutation, SendBackMutationVariables>;
export const PageReviewStateDocument = new TypedDocumentString(`
    query PageReviewState($slug: String!) {
  page(slug: $slug, includeDrafts: true) {
    id
    version
    hasUnpublishedChanges
    review {
      ...ReviewFields
    }
  }
}
    fragment ReviewFields on Review {
  id
  itemType
  state
  message
  sentAt
  sentVersion
  comment
  returnedAt
  changedSinceSent
  sentBy {
    displayName
  }
  returnedBy {
    displayName
  }
}`) as unknown as TypedDocumentString<PageReviewStateQuery, PageReviewStateQueryVariables>;
export const SubmitPageForReviewDocument = new TypedDocumentString(`
    mutation SubmitPageForReview($id: ID!, $version: Int!, $message: String) {
  submitPageForReview(id: $id, version: $version, message: $message) {
    id
  }
}
    `) as unknown as TypedDocumentString<SubmitPageForReviewMutation, SubmitPageForReviewMutationVariables>;
export const SendPageBackDocument = new TypedDocumentString(`
    mutation SendPageBack($id: ID!, $version: Int!, $comment: String!) {
  sendPageBack(id: $id, version: $version, comment: $comment) {
    id
  }
}
    `) as unknown as TypedDocumentString<SendPageBackMutation, SendPageBackMutationVariables>;
export const ReviewQueueDocument = new TypedDocumentString(`
    query ReviewQueue {
  reviewQueue {
    ...ReviewFields
    question {
      id
      question
      unpublishedDiff {
        ...DiffFields
      }
    }
    page {
      id
      slug
      title
    }
  }
}
    fragment DiffFields on RevisionDiff {
  identical
  question {
    kind
    text
  }
  answer {
    kind
    text
  }
}
fragment ReviewFields on Review {
  id
  itemType
  state
  message
  sentAt
  sentVersion
  comment
  returnedAt
  changedSinceSent
  sentBy {
    displayName
  }
  returnedBy {
    displayName
  }
}`) as unknown as TypedDocumentString<ReviewQueueQuery, ReviewQueueQueryVariables>;
export const ReviewCountDocument = new TypedDocumentString(`
    query ReviewCount {
  reviewCount
}
    `) as unknown as TypedDocumentString<ReviewCountQuery, ReviewCountQueryVariables>;
export const MyWorkDocument = new TypedDocumentString(`
    query MyWork {
  myWork {
    drafts {
      id
      question
      status
      category {
        title
      }
    }
    sent {
      ...ReviewFields
      question {
        id
        question
      }
      page {
        slug
        title
      }
    }
    returned {
      ...ReviewFields
      question {
        id
        question
      }
      page {
        slug
        title
      }
    }
  }
}
    fragment ReviewFields on Review {
  id
  itemType
  state
  message
  sentAt
  sentVersion
  comment
  returnedAt
  changedSinceSent
  sentBy {
    displayName
  }
  returnedBy {
    displayName
  }
}`) as unknown as TypedDocumentString<MyWorkQuery, MyWorkQueryVariables>;
export const QuestionWithScheduleDocument = new TypedDocumentString(`
    query QuestionWithSchedule($id: ID!) {
  question(id: $id, includeDrafts: true) {
    ...QuestionFields
    ...QuestionSchedule
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}
fragment QuestionSchedule on Question {
  publishAt
  expireAt
}`) as unknown as TypedDocumentString<QuestionWithScheduleQuery, QuestionWithScheduleQueryVariables>;
export const ScheduleQuestionDocument = new TypedDocumentString(`
    mutation ScheduleQuestion($id: ID!, $version: Int!, $publishAt: DateTime, $expireAt: DateTime) {
  scheduleQuestion(
    id: $id
    version: $version
    publishAt: $publishAt
    expireAt: $expireAt
  ) {
    ...QuestionFields
    ...QuestionSchedule
  }
}
    fragment QuestionFields on Question {
  id
  slug
  question
  answer
  answerHtml
  position
  status
  version
  hasUnpublishedChanges
  publishedAt
  updatedAt
  createdAt
  publishedQuestion
  publishedAnswer
  viewerCan {
    edit
    publish
    unpublish
    archive
    restore
    delete
    schedule
  }
  category {
    id
    title
  }
}
fragment QuestionSchedule on Question {
  publishAt
  expireAt
}`) as unknown as TypedDocumentString<ScheduleQuestionMutation, ScheduleQuestionMutationVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users {
  users {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  displayName
  role
  disabled
  lastSignInAt
  twoFactorEnabled
  version
}`) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const CreateUserDocument = new TypedDocumentString(`
    mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  displayName
  role
  disabled
  lastSignInAt
  twoFactorEnabled
  version
}`) as unknown as TypedDocumentString<CreateUserMutation, CreateUserMutationVariables>;
export const DisableUserDocument = new TypedDocumentString(`
    mutation DisableUser($id: ID!, $version: Int!) {
  disableUser(id: $id, version: $version) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  displayName
  role
  disabled
  lastSignInAt
  twoFactorEnabled
  version
}`) as unknown as TypedDocumentString<DisableUserMutation, DisableUserMutationVariables>;
export const EnableUserDocument = new TypedDocumentString(`
    mutation EnableUser($id: ID!, $version: Int!) {
  enableUser(id: $id, version: $version) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  displayName
  role
  disabled
  lastSignInAt
  twoFactorEnabled
  version
}`) as unknown as TypedDocumentString<EnableUserMutation, EnableUserMutationVariables>;
export const SetUserRoleDocument = new TypedDocumentString(`
    mutation SetUserRole($id: ID!, $version: Int!, $role: Role!) {
  setUserRole(id: $id, version: $version, role: $role) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  displayName
  role
  disabled
  lastSignInAt
  twoFactorEnabled
  version
}`) as unknown as TypedDocumentString<SetUserRoleMutation, SetUserRoleMutationVariables>;
export const ResetUserPasswordDocument = new TypedDocumentString(`
    mutation ResetUserPassword($id: ID!, $version: Int!, $password: String!) {
  resetUserPassword(id: $id, version: $version, password: $password) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  displayName
  role
  disabled
  lastSignInAt
  twoFactorEnabled
  version
}`) as unknown as TypedDocumentString<ResetUserPasswordMutation, ResetUserPasswordMutationVariables>;
export const ResetUserTwoFactorDocument = new TypedDocumentString(`
    mutation ResetUserTwoFactor($id: ID!, $version: Int!) {
  resetUserTwoFactor(id: $id, version: $version) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  displayName
  role
  disabled
  lastSignInAt
  twoFactorEnabled
  version
}`) as unknown as TypedDocumentString<ResetUserTwoFactorMutation, ResetUserTwoFactorMutationVariables>;
export const WebhooksDocument = new TypedDocumentString(`
    query Webhooks {
  webhooks {
    ...WebhookFields
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  description
  active
  createdAt
  version
}`) as unknown as TypedDocumentString<WebhooksQuery, WebhooksQueryVariables>;
export const WebhookDocument = new TypedDocumentString(`
    query Webhook($id: ID!, $first: Int!, $after: String) {
  webhook(id: $id) {
    ...WebhookFields
  }
  webhookDeliveries(webhookId: $id, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...WebhookDeliveryFields
    }
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  description
  active
  createdAt
  version
}
fragment WebhookDeliveryFields on WebhookDelivery {
  id
  event
  eventId
  status
  attempts
  createdAt
  lastAttemptAt
  nextAttemptAt
  lastStatusCode
  lastError
  deliveredAt
}`) as unknown as TypedDocumentString<WebhookQuery, WebhookQueryVariables>;
export const CreateWebhookDocument = new TypedDocumentString(`
    mutation CreateWebhook($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    secret
    webhook {
      ...WebhookFields
    }
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  description
  active
  createdAt
  version
}`) as unknown as TypedDocumentString<CreateWebhookMutation, CreateWebhookMutationVariables>;
export const UpdateWebhookDocument = new TypedDocumentString(`
    mutation UpdateWebhook($id: ID!, $version: Int!, $input: UpdateWebhookInput!) {
  updateWebhook(id: $id, version: $version, input: $input) {
    ...WebhookFields
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  description
  active
  createdAt
  version
}`) as unknown as TypedDocumentString<UpdateWebhookMutation, UpdateWebhookMutationVariables>;
export const RotateWebhookSecretDocument = new TypedDocumentString(`
    mutation RotateWebhookSecret($id: ID!, $version: Int!) {
  rotateWebhookSecret(id: $id, version: $version) {
    secret
    webhook {
      ...WebhookFields
    }
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  events
  description
  active
  createdAt
  version
}`) as unknown as TypedDocumentString<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const DeleteWebhookDocument = new TypedDocumentString(`
    mutation DeleteWebhook($id: ID!) {
  deleteWebhook(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<DeleteWebhookMutation, DeleteWebhookMutationVariables>;
export const ResendWebhookDeliveryDocument = new TypedDocumentString(`
    mutation ResendWebhookDelivery($id: ID!) {
  resendWebhookDelivery(id: $id) {
    ...WebhookDeliveryFields
  }
}
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  event
  eventId
  status
  attempts
  createdAt
  lastAttemptAt
  nextAttemptAt
  lastStatusCode
  lastError
  deliveredAt
}`) as unknown as TypedDocumentString<ResendWebhookDeliveryMutation, ResendWebhookDeliveryMutationVariables>;